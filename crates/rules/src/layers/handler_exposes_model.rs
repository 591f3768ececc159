//! Handlers speak in schemas (DTOs), not in models.

use stratalint_engine::semantic::HandlerStatus;
use stratalint_engine::syn::{self, FnArg, GenericArgument, PathArguments, ReturnType, Type};
use stratalint_engine::{Cx, FnNode, Hooks, QualifiedName, Role, Rule, RuleMeta};

static META: RuleMeta = crate::meta!("handler-exposes-model", Layers, "layers", Warning);

/// Extractors that inject dependencies rather than carry the request: what they wrap is not part
/// of the API.
const INJECTED: &[&str] = &["State", "Extension", "Data", "ReqData"];

pub struct HandlerExposesModel;

/// Every named type in `ty` with the path it is written as, skipping what injected extractors
/// wrap.
fn type_paths<'t>(ty: &'t Type, out: &mut Vec<&'t syn::Path>) {
    match ty {
        Type::Path(tp) => {
            let Some(last) = tp.path.segments.last() else {
                return;
            };
            if INJECTED.contains(&last.ident.to_string().as_str()) {
                return;
            }
            out.push(&tp.path);
            for seg in &tp.path.segments {
                if let PathArguments::AngleBracketed(args) = &seg.arguments {
                    for arg in &args.args {
                        if let GenericArgument::Type(t) = arg {
                            type_paths(t, out);
                        }
                    }
                }
            }
        }
        Type::Reference(r) => type_paths(&r.elem, out),
        Type::Paren(p) => type_paths(&p.elem, out),
        Type::Group(g) => type_paths(&g.elem, out),
        Type::Slice(s) => type_paths(&s.elem, out),
        Type::Array(a) => type_paths(&a.elem, out),
        Type::Tuple(t) => t.elems.iter().for_each(|e| type_paths(e, out)),
        _ => {}
    }
}

impl HandlerExposesModel {
    fn check_type(cx: &mut Cx<'_, '_>, fn_name: &str, ty: &Type, returned: bool) {
        let mut paths = Vec::new();
        type_paths(ty, &mut paths);
        for path in paths {
            let Some(q) = cx.resolve(path) else { continue };
            if cx.role_of_path(&q) != Some(Role::Models) {
                continue;
            }
            let d = Self::diag(cx, fn_name, path, &q, returned);
            cx.report_in_handler(d);
        }
    }

    fn diag(
        cx: &Cx<'_, '_>,
        fn_name: &str,
        path: &syn::Path,
        q: &QualifiedName,
        returned: bool,
    ) -> stratalint_engine::Diagnostic {
        let shown = match q.as_str().split_once("::") {
            Some((first, rest)) if first == cx.resolver().crate_name() => format!("crate::{rest}"),
            _ => q.as_str().to_string(),
        };
        let (how, instead, help) = if returned {
            (
                "returns",
                "a response schema",
                "convert it to a response schema in the service (`UserResponse::from(user)`): a \
                 model carries every column (password hashes, internal flags) to the client and \
                 ties the API to the table",
            )
        } else {
            (
                "takes",
                "a request schema",
                "accept a request schema (`UserCreate`) with its validation, and let the service \
                 build the model from it: binding a model lets clients set any column",
            )
        };
        cx.diag(
            stratalint_engine::syn::spanned::Spanned::span(path),
            format!("handler `{fn_name}` {how} `{shown}`, a model, instead of {instead}"),
        )
        .with_label("model in a handler signature")
        .with_help(help)
    }
}

impl Rule for HandlerExposesModel {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::FN
    }

    fn check_fn(&self, cx: &mut Cx<'_, '_>, f: &FnNode<'_>) {
        if cx.in_test() || !super::application_code(cx) {
            return;
        }
        let Some(info) = cx.current_fn() else { return };
        if info.handler == HandlerStatus::No {
            return;
        }
        let name = info.name.clone();
        for input in &f.sig.inputs {
            if let FnArg::Typed(t) = input {
                Self::check_type(cx, &name, &t.ty, false);
            }
        }
        if let ReturnType::Type(_, ty) = &f.sig.output {
            Self::check_type(cx, &name, ty, true);
        }
    }
}
