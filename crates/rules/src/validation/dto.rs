//! Request DTOs and the handlers that take them, as facts: a DTO may be defined in `src/schemas/`
//! and taken as `Json<T>` in `src/api/`, so both rules of the family settle in `check_project`.

use stratalint_engine::proc_macro2::Span;
use stratalint_engine::semantic::values::{first_generic_arg, generic_args};
use stratalint_engine::semantic::HandlerStatus;
use stratalint_engine::syn::spanned::Spanned;
use stratalint_engine::syn::{self, Expr, FnArg, Type};
use stratalint_engine::{Cx, FnNode, Loc, ProjectCx, QualifiedName};

/// Which validation library a DTO derives `Validate` from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Lib {
    Validator,
    Garde,
}

/// A field a client fills with free text or a list: it needs a rule.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Field {
    pub name: String,
    pub has_rule: bool,
    pub loc: Loc,
}

/// A struct of the project that may be a request DTO.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct DtoDef {
    pub path: String,
    pub name: String,
    pub loc: Loc,
    pub validate: Option<Lib>,
    /// `#[garde(allow_unvalidated)]`
    pub allow_unvalidated: Option<Loc>,
    /// The string and collection fields.
    pub fields: Vec<Field>,
    /// Fields holding another struct of the project (`user: SignupUser`, `items: Vec<Item>`):
    /// (field, the struct's path).
    pub nested: Vec<(Field, String)>,
}

/// A handler parameter taking a DTO from the request body or query.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct ExtractorUse {
    pub dto: String,
    /// `Json<SignupRequest>`, as written.
    pub written: String,
    pub validating: bool,
    /// The extractor is actix-web's.
    pub actix: bool,
    /// Certainly a handler, or a handler if a router registers `fn_path`.
    pub handler: bool,
    pub fn_path: String,
    pub fn_name: String,
    pub binding: Option<String>,
    pub loc: Loc,
}

impl ExtractorUse {
    pub fn in_handler(&self, cx: &ProjectCx<'_>) -> bool {
        self.handler || cx.is_handler(&self.fn_path)
    }
}

/// A use of a DTO binding in its handler's body (offset of the path).
#[derive(serde::Serialize, serde::Deserialize)]
pub struct BindingUse {
    pub fn_path: String,
    pub binding: String,
    pub offset: usize,
    /// The use is the receiver of `.validate()` (or the argument of a `validate*` function).
    pub validates: bool,
}

/// Extractors that validate what they deserialize (axum-valid, actix-web-validator, garde
/// integrations, a project's `ValidatedJson<T>`).
fn is_validating(q: &QualifiedName) -> bool {
    let last = q.last();
    q.in_crates(&[
        "axum_valid",
        "actix_web_validator",
        "axum_garde",
        "garde_actix_web",
        "actix_garde",
    ]) || matches!(
        last,
        "Valid" | "Garde" | "Validified" | "WithValidation" | "Validated"
    ) || last.starts_with("Validated")
}

/// Body and query extractors that only deserialize.
fn is_plain_extractor(q: &QualifiedName) -> bool {
    matches!(q.last(), "Json" | "Form" | "Query")
        && q.in_crates(&[
            "axum",
            "axum_extra",
            "actix_web",
            "poem",
            "poem_openapi",
            "rocket",
            "salvo",
            "ntex",
        ])
}

/// Transparent wrappers around an extractor (`WithRejection<Json<T>, E>`) or a DTO (`Vec<T>`).
fn is_wrapper(q: &QualifiedName) -> bool {
    matches!(
        q.last(),
        "WithRejection" | "Vec" | "Option" | "Box" | "Result"
    )
}

/// The DTO parameters of a function: (written type, DTO type, validating, binding, loc).
pub fn extractor_uses(cx: &mut Cx<'_, '_>, f: &FnNode<'_>) -> Vec<ExtractorUse> {
    let Some(info) = cx.current_fn() else {
        return Vec::new();
    };
    let handler = match &info.handler {
        HandlerStatus::Yes => true,
        HandlerStatus::IfRegistered(_) => false,
        HandlerStatus::No => return Vec::new(),
    };
    let fn_path = info.path.clone();
    let fn_name = info.name.clone();
    let mut out = Vec::new();
    for input in &f.sig.inputs {
        let FnArg::Typed(t) = input else { continue };
        let Some((dto, validating, dto_ty)) = dto_type_of(cx, &t.ty) else {
            continue;
        };
        let binding = binding_of(&t.pat);
        let actix = cx
            .resolve_type(&t.ty)
            .is_some_and(|q| q.first().starts_with("actix"));
        // a generic envelope delivers its arguments too: `Json<UserBody<NewUser>>`
        let mut dtos = vec![dto.into_string()];
        dtos.extend(
            generic_args(dto_ty)
                .into_iter()
                .filter_map(|a| project_struct(cx, a)),
        );
        for dto in dtos {
            out.push(ExtractorUse {
                dto,
                written: cx.text_of(t.ty.span()).to_string(),
                validating,
                actix,
                handler,
                fn_path: fn_path.clone(),
                fn_name: fn_name.clone(),
                binding: binding.clone(),
                loc: cx.loc(t.ty.span()),
            });
        }
    }
    out
}

/// The DTO a parameter type carries, and whether its extractor validates it.
fn dto_of(cx: &Cx<'_, '_>, ty: &Type) -> Option<(QualifiedName, bool)> {
    dto_type_of(cx, ty).map(|(q, v, _)| (q, v))
}

/// [`dto_of`], with the DTO's type as written (for its generic arguments).
fn dto_type_of<'t>(cx: &Cx<'_, '_>, ty: &'t Type) -> Option<(QualifiedName, bool, &'t Type)> {
    let mut ty = ty;
    let mut validating = false;
    let mut seen_extractor = false;
    for _ in 0..6 {
        let q = cx.resolve_type(ty)?;
        if is_validating(&q) {
            validating = true;
            seen_extractor = true;
        } else if is_plain_extractor(&q) {
            seen_extractor = true;
        } else if !is_wrapper(&q) {
            let library_type =
                q.in_crates(&["std", "serde_json", "uuid", "chrono", "bytes", "time"]);
            return (seen_extractor && !library_type).then_some((q, validating, ty));
        }
        ty = first_generic_arg(ty)?;
    }
    None
}

/// `Json(body)` → `body`; `body: Json<T>` → `body`; destructured fields → none.
fn binding_of(pat: &syn::Pat) -> Option<String> {
    binding_ident(pat).map(|i| i.to_string())
}

fn binding_ident(pat: &syn::Pat) -> Option<&syn::Ident> {
    match pat {
        syn::Pat::Ident(i) => Some(&i.ident),
        syn::Pat::TupleStruct(ts) if ts.elems.len() == 1 => binding_ident(&ts.elems[0]),
        syn::Pat::Paren(p) => binding_ident(&p.pat),
        syn::Pat::Type(t) => binding_ident(&t.pat),
        _ => None,
    }
}

/// Could `ident` be a DTO binding of the current function: is that a function that may serve
/// requests, with a parameter of that name? The cheap half of [`is_plain_dto_binding`], before
/// any name is built: it runs at every single-identifier path.
pub fn may_be_dto_binding(cx: &Cx<'_, '_>, ident: &syn::Ident) -> bool {
    cx.current_fn().is_some_and(|f| {
        f.handler != HandlerStatus::No
            && f.sig.inputs.iter().any(|i| match i {
                FnArg::Typed(t) => binding_ident(&t.pat) == Some(ident),
                FnArg::Receiver(_) => false,
            })
    })
}

/// Is `name` a parameter of the current function bound from a plain (non-validating) DTO
/// extractor?
pub fn is_plain_dto_binding(cx: &Cx<'_, '_>, name: &str) -> bool {
    if !cx.local(name).is_some_and(|v| v.is_param) {
        return false;
    }
    let Some(f) = cx.current_fn() else {
        return false;
    };
    if f.handler == HandlerStatus::No {
        return false;
    }
    f.sig.inputs.iter().any(|i| match i {
        FnArg::Typed(t) => {
            binding_of(&t.pat).as_deref() == Some(name)
                && dto_of(cx, &t.ty).is_some_and(|(_, v)| !v)
        }
        FnArg::Receiver(_) => false,
    })
}

/// The binding an expression starts from (`body.0.validate()` → `body`), with its offset.
pub fn root_binding(e: &Expr) -> Option<(String, Span)> {
    let mut e = e;
    loop {
        match e {
            Expr::MethodCall(m) => e = &m.receiver,
            Expr::Field(f) => e = &f.base,
            Expr::Reference(r) => e = &r.expr,
            Expr::Paren(p) => e = &p.expr,
            Expr::Unary(u) => e = &u.expr,
            Expr::Path(p) if p.path.segments.len() == 1 => {
                return Some((p.path.segments[0].ident.to_string(), p.span()));
            }
            _ => return None,
        }
    }
}

/// A struct's DTO facts: derives, `Validate` library, free-text fields and their rules.
///
/// Only structs that can come out of a request are kept: a body, query or form extractor needs
/// `Deserialize` (derived, also under `cfg_attr`), and a struct deriving `Validate` is one by
/// intent. `validating_only` keeps only the latter.
pub fn dto_def(cx: &Cx<'_, '_>, s: &syn::ItemStruct, validating_only: bool) -> Option<DtoDef> {
    let syn::Fields::Named(named) = &s.fields else {
        return None;
    };
    let mut validate = None;
    let mut deserializable = s.attrs.iter().any(|a| {
        a.path().is_ident("cfg_attr")
            && matches!(&a.meta, syn::Meta::List(l) if l.tokens.to_string().contains("Deserialize"))
    });
    for d in cx.derives(&s.attrs).iter() {
        deserializable |= d.written_as("Deserialize");
        if d.written_as("Validate") {
            validate = Some(match &d.resolved {
                Some(q) if q.first() == "garde" => Lib::Garde,
                _ => Lib::Validator,
            });
        }
    }
    if validate.is_none() && (validating_only || !deserializable) {
        return None;
    }
    let allow_unvalidated = s
        .attrs
        .iter()
        .find(|a| a.path().is_ident("garde") && attr_text(a).contains("allow_unvalidated"))
        .map(|a| cx.loc(a.span()));
    let mut fields = Vec::new();
    let mut nested = Vec::new();
    for f in &named.named {
        let Some(ident) = &f.ident else { continue };
        let serde = f
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("serde"))
            .map(attr_text);
        if serde.into_iter().any(|t| t.contains("skip")) {
            continue;
        }
        let has_rule = f.attrs.iter().any(|a| {
            (a.path().is_ident("validate") || a.path().is_ident("garde"))
                && !attr_text(a).is_empty()
        });
        let field = Field {
            name: ident.to_string(),
            has_rule,
            loc: cx.loc(ident.span()),
        };
        if is_free_input(&f.ty) {
            fields.push(field);
        } else if let Some(inner) = project_struct(cx, &f.ty) {
            nested.push((field, inner));
        }
    }
    Some(DtoDef {
        path: cx.resolver().item_qname(&s.ident.to_string()).into_string(),
        name: s.ident.to_string(),
        loc: cx.loc(s.ident.span()),
        validate,
        allow_unvalidated,
        fields,
        nested,
    })
}

/// The struct of the project a field holds, through `Option`, `Vec` and `Box`.
fn project_struct(cx: &Cx<'_, '_>, ty: &Type) -> Option<String> {
    let mut ty = ty;
    for _ in 0..4 {
        let q = cx.resolve_type(ty)?;
        if matches!(q.last(), "Option" | "Vec" | "Box" | "Arc") {
            ty = first_generic_arg(ty)?;
            continue;
        }
        let local = q.first() == cx.resolver().crate_name()
            || cx.project().local_crate(q.first()).is_some();
        return local.then(|| q.into_string());
    }
    None
}

fn attr_text(a: &syn::Attribute) -> String {
    match &a.meta {
        syn::Meta::List(l) => l.tokens.to_string(),
        _ => String::new(),
    }
}

/// Text and collections: what a client can make arbitrarily long or malformed. Numbers, bools,
/// `Uuid`, dates and enums are typed by deserialization already.
fn is_free_input(ty: &Type) -> bool {
    match ty {
        Type::Reference(r) => is_free_input(&r.elem),
        Type::Slice(_) => true,
        Type::Path(p) => {
            let Some(last) = p.path.segments.last() else {
                return false;
            };
            match last.ident.to_string().as_str() {
                "String" | "str" | "Cow" | "Vec" | "HashMap" | "HashSet" | "BTreeMap"
                | "BTreeSet" | "VecDeque" | "IndexMap" | "IndexSet" => true,
                "Option" | "Box" => match &last.arguments {
                    syn::PathArguments::AngleBracketed(a) => a.args.iter().any(|g| match g {
                        syn::GenericArgument::Type(t) => is_free_input(t),
                        _ => false,
                    }),
                    _ => false,
                },
                _ => false,
            }
        }
        _ => false,
    }
}

/// The handler uses of each DTO, by DTO path (through re-exports), in a stable order.
pub fn uses_by_dto<'a>(cx: &ProjectCx<'a>) -> Vec<(String, &'a ExtractorUse)> {
    let mut out: Vec<(String, &ExtractorUse)> = cx
        .facts::<ExtractorUse>()
        .filter(|(u, _)| u.in_handler(cx))
        .map(|(u, _)| (cx.through_reexports(&u.dto).to_string(), u))
        .collect();
    out.sort_by(|a, b| (&*a.1.loc.file, a.1.loc.start).cmp(&(&*b.1.loc.file, b.1.loc.start)));
    out
}
