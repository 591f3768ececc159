//! Request DTOs declare what valid input is: lengths, formats, ranges (CWE-20). The seed's
//! Pydantic models do it by default; in Rust it takes `validator` or `garde`.

use stratalint_engine::syn::Item;
use stratalint_engine::{Cx, FnNode, Hooks, ProjectCx, Rule, RuleMeta, Severity};

use std::collections::VecDeque;

use rustc_hash::{FxHashMap, FxHashSet};

use super::dto::{dto_def, extractor_uses, uses_by_dto, DtoDef, Lib};

static META: RuleMeta = crate::meta!("unvalidated-request-dto", Validation, "validation", Error);

pub struct UnvalidatedRequestDto;

impl Rule for UnvalidatedRequestDto {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::ITEM | Hooks::FN | Hooks::PROJECT
    }

    fn check_item(&self, cx: &mut Cx<'_, '_>, item: &Item) {
        let Item::Struct(s) = item else { return };
        if cx.in_test() {
            return;
        }
        if let Some(def) = dto_def(cx, s, false) {
            cx.fact(def);
        }
    }

    fn check_fn(&self, cx: &mut Cx<'_, '_>, f: &FnNode<'_>) {
        if cx.in_test() {
            return;
        }
        for u in extractor_uses(cx, f) {
            cx.fact(u);
        }
    }

    fn check_project(&self, cx: &mut ProjectCx<'_>) {
        let defs: FxHashMap<&str, &DtoDef> = cx
            .facts::<DtoDef>()
            .map(|(d, _)| (d.path.as_str(), d))
            .collect();
        // the DTOs handlers take, then the structs they hold (`Signup { user: SignupUser }`)
        let mut queue: VecDeque<(String, String)> = VecDeque::new();
        for (dto, u) in uses_by_dto(cx) {
            let how = format!(
                "taken as `{}` by `{}` ({}:{})",
                u.written, u.fn_name, u.loc.file, u.loc.start_pos.line
            );
            queue.push_back((dto, how));
        }
        let mut seen: FxHashSet<String> = FxHashSet::default();
        while let Some((path, taken)) = queue.pop_front() {
            if !seen.insert(path.clone()) {
                continue;
            }
            let Some(def) = defs.get(path.as_str()).copied() else {
                continue;
            };
            for (field, inner) in &def.nested {
                let inner = cx.through_reexports(inner).to_string();
                let inner_validates = defs
                    .get(inner.as_str())
                    .is_some_and(|d| d.validate.is_some());
                if def.validate == Some(Lib::Validator) && inner_validates && !field.has_rule {
                    let d = cx
                        .diag_at(
                            field.loc.clone(),
                            format!(
                                "field `{}` of request DTO `{}` holds a DTO that is never validated",
                                field.name, def.name
                            ),
                        )
                        .with_label("not validated with its parent")
                        .with_help("add `#[validate(nested)]` so that validating the parent validates it too");
                    cx.report(d);
                }
                queue.push_back((inner, format!("inside `{}`, {taken}", def.name)));
            }
            match def.validate {
                None if !def.fields.is_empty() => {
                    let list = def
                        .fields
                        .iter()
                        .map(|f| format!("`{}`", f.name))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let d = cx
                        .diag_at(
                            def.loc.clone(),
                            format!(
                                "request DTO `{}` has no validation ({taken}): {list} {} anything",
                                def.name,
                                if def.fields.len() == 1 { "accepts" } else { "accept" }
                            ),
                        )
                        .with_label("no `Validate` derive")
                        .with_help(
                            "derive `validator::Validate` and give every string and collection field a rule \
                             (`#[validate(email)]`, `#[validate(length(min = 1, max = 64))]`, `#[validate(nested)]`), \
                             or derive `garde::Validate` (`#[garde(length(min = 1, max = 64))]`)",
                        );
                    cx.report(d);
                }
                None => {}
                Some(Lib::Validator) => {
                    for f in def.fields.iter().filter(|f| !f.has_rule) {
                        let d = cx
                            .diag_at(
                                f.loc.clone(),
                                format!("field `{}` of request DTO `{}` has no validation rule", f.name, def.name),
                            )
                            .with_label("accepts any length and content")
                            .with_help(
                                "give it a rule: `#[validate(length(max = 500))]`, `#[validate(email)]`, \
                                 `#[validate(url)]`, `#[validate(nested)]` for nested DTOs",
                            );
                        cx.report(d);
                    }
                }
                Some(Lib::Garde) => {
                    if let Some(loc) = &def.allow_unvalidated {
                        let mut d = cx
                            .diag_at(
                                loc.clone(),
                                format!(
                                    "`#[garde(allow_unvalidated)]` lets fields of request DTO `{}` through without rules",
                                    def.name
                                ),
                            )
                            .with_label("unvalidated fields allowed")
                            .with_help("remove it and give each field a rule, or `#[garde(skip)]` the ones that need none");
                        d.severity = Severity::Warning;
                        cx.report(d);
                    }
                }
            }
        }
    }
}
