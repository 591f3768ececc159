//! A DTO that derives `Validate` is only validated when something calls it: a validating
//! extractor, or `.validate()` before the value is used (CWE-20).

use rustc_hash::FxHashMap;
use stratalint_engine::syn::{Expr, Item};
use stratalint_engine::{
    Call, Cx, FnNode, Hooks, MethodCall, PathKind, PathRef, ProjectCx, Rule, RuleMeta,
};

use super::dto::{
    dto_def, extractor_uses, is_plain_dto_binding, may_be_dto_binding, root_binding, uses_by_dto,
    BindingUse, DtoDef,
};

static META: RuleMeta = crate::meta!("unvalidated-extractor", Validation, "validation", Error);

/// Methods that run a DTO's validation.
const VALIDATE_METHODS: &[&str] = &[
    "validate",
    "validate_with_args",
    "validate_args",
    "validate_with",
];

pub struct UnvalidatedExtractor;

impl UnvalidatedExtractor {
    fn note_validate(cx: &mut Cx<'_, '_>, arg: &Expr) {
        let Some((name, span)) = root_binding(arg) else {
            return;
        };
        if !is_plain_dto_binding(cx, &name) {
            return;
        }
        let fn_path = cx.current_fn().map(|f| f.path.clone()).unwrap_or_default();
        cx.fact(BindingUse {
            fn_path,
            binding: name,
            offset: span.byte_range().start,
            validates: true,
        });
    }
}

impl Rule for UnvalidatedExtractor {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::ITEM | Hooks::FN | Hooks::METHOD_CALL | Hooks::CALL | Hooks::PATH | Hooks::PROJECT
    }

    fn check_item(&self, cx: &mut Cx<'_, '_>, item: &Item) {
        let Item::Struct(s) = item else { return };
        if cx.in_test() {
            return;
        }
        if let Some(def) = dto_def(cx, s, true) {
            cx.fact(def);
        }
    }

    fn check_fn(&self, cx: &mut Cx<'_, '_>, f: &FnNode<'_>) {
        if cx.in_test() {
            return;
        }
        for u in extractor_uses(cx, f).into_iter().filter(|u| !u.validating) {
            cx.fact(u);
        }
    }

    /// `body.validate()?`
    fn check_method_call(&self, cx: &mut Cx<'_, '_>, call: &MethodCall<'_>) {
        if VALIDATE_METHODS.contains(&call.method.as_str()) && !cx.in_test() {
            Self::note_validate(cx, call.receiver());
        }
    }

    /// `Validate::validate(&body)`, `validate_signup(&body)?`
    fn check_call(&self, cx: &mut Cx<'_, '_>, call: &Call<'_>) {
        let validates = call
            .path
            .as_ref()
            .is_some_and(|p| p.last().starts_with("validate"));
        if validates && !cx.in_test() {
            if let Some(arg) = call.arg(0) {
                Self::note_validate(cx, arg);
            }
        }
    }

    /// Every use of a DTO binding, to know whether validation comes first.
    fn check_path(&self, cx: &mut Cx<'_, '_>, path: &PathRef<'_>) {
        if path.kind != PathKind::Expr || path.path.segments.len() != 1 || cx.in_test() {
            return;
        }
        let ident = &path.path.segments[0].ident;
        if !may_be_dto_binding(cx, ident) {
            return;
        }
        let name = ident.to_string();
        if !is_plain_dto_binding(cx, &name) {
            return;
        }
        let fn_path = cx.current_fn().map(|f| f.path.clone()).unwrap_or_default();
        let offset = path.span().byte_range().start;
        cx.fact(BindingUse {
            fn_path,
            binding: name,
            offset,
            validates: false,
        });
    }

    fn check_project(&self, cx: &mut ProjectCx<'_>) {
        let validated: Vec<&str> = cx.facts::<DtoDef>().map(|(d, _)| d.path.as_str()).collect();
        // (fn, binding) → (first use, first validation)
        let mut order: FxHashMap<(&str, &str), (usize, Option<usize>)> = FxHashMap::default();
        for (u, _) in cx.facts::<BindingUse>() {
            let e = order
                .entry((u.fn_path.as_str(), u.binding.as_str()))
                .or_insert((usize::MAX, None));
            if !u.validates {
                e.0 = e.0.min(u.offset);
            } else {
                e.1 = Some(e.1.map_or(u.offset, |v| v.min(u.offset)));
            }
        }
        for (dto, u) in uses_by_dto(cx) {
            if !validated.contains(&dto.as_str()) {
                continue;
            }
            let name = dto.rsplit("::").next().unwrap_or(&dto);
            let state = u
                .binding
                .as_deref()
                .and_then(|b| order.get(&(u.fn_path.as_str(), b)));
            let (message, label) = match (state, u.binding.as_deref()) {
                (Some((first_use, Some(v))), _) if v <= first_use => continue,
                (Some((_, Some(_))), Some(b)) => (
                    format!("handler `{}` uses `{b}` before validating it (`{name}` derives `Validate`)", u.fn_name),
                    "used before `.validate()`",
                ),
                _ => (
                    format!(
                        "handler `{}` takes `{}` without validating it (`{name}` derives `Validate`)",
                        u.fn_name, u.written
                    ),
                    "deserialized, never validated",
                ),
            };
            let extractor = if u.actix {
                let kind = u.written.rsplit("::").next().unwrap_or(&u.written);
                let kind = kind.split('<').next().unwrap_or("Json");
                format!("`actix_web_validator::{kind}<{name}>`")
            } else {
                format!("axum-valid's `Valid<{}>`", u.written)
            };
            let d = cx
                .diag_at(u.loc.clone(), message)
                .with_label(label)
                .with_help(format!(
                    "take it through a validating extractor, {extractor}, or call `.validate()?` on it before \
                     anything else uses it"
                ));
            cx.report(d);
        }
    }
}
