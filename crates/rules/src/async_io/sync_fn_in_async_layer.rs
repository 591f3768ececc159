//! "Async everything": handlers, services and repositories are `async fn`. A sync function of
//! those layers that does I/O blocks whichever async caller reaches it.

use serde::Deserialize;
use stratalint_engine::semantic::HandlerStatus;
use stratalint_engine::syn::spanned::Spanned;
use stratalint_engine::syn::{self, FnArg, ReturnType, Type};
use stratalint_engine::{Call, Cx, FnNode, Hooks, MethodCall, Role, Rule, RuleMeta, RuleOptions};

use crate::shared::blocking::is_sync_io_handle;
use crate::shared::blocking_calls::{blocking_call, blocking_method_call, is_r2d2_like_pool};

static META: RuleMeta = crate::meta!("sync-fn-in-async-layer", Async, "async", Warning);

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    #[serde(default = "default_roles")]
    roles: Vec<RoleName>,
    #[serde(default)]
    allow: Vec<String>,
    #[serde(default = "yes")]
    handlers: bool,
}

fn default_roles() -> Vec<RoleName> {
    vec![RoleName(Role::Services), RoleName(Role::Repositories)]
}

fn yes() -> bool {
    true
}

/// A layer role by name, checked when read.
struct RoleName(Role);

impl<'de> Deserialize<'de> for RoleName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .map(RoleName)
            .ok_or_else(|| {
                let names: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
                serde::de::Error::custom(format!(
                    "unknown layer role `{s}`; roles are: {}",
                    names.join(", ")
                ))
            })
    }
}

pub struct SyncFnInAsyncLayer {
    roles: Vec<Role>,
    allow: Vec<String>,
    handlers: bool,
}

impl Default for SyncFnInAsyncLayer {
    fn default() -> Self {
        SyncFnInAsyncLayer {
            roles: vec![Role::Services, Role::Repositories],
            allow: Vec::new(),
            handlers: true,
        }
    }
}

/// A sync function under watch, with what shows it does I/O.
struct Candidate {
    subject: String,
    evidence: Option<String>,
    /// actix-web handlers must be async whatever they do.
    always: Option<&'static str>,
}

#[derive(Default)]
struct Watch(Vec<Option<Candidate>>);

/// Does the signature return the impl's type (`Self`, `Result<Self, E>`, `Arc<UserService>`)?
fn returns_own_type(sig: &syn::Signature, type_name: Option<&str>) -> bool {
    fn mentions(ty: &Type, name: Option<&str>, depth: u8) -> bool {
        if depth > 4 {
            return false;
        }
        match ty {
            Type::Path(p) => p.path.segments.iter().any(|s| {
                s.ident == "Self"
                    || name.is_some_and(|n| s.ident == n)
                    || match &s.arguments {
                        syn::PathArguments::AngleBracketed(a) => a.args.iter().any(|g| {
                            matches!(g, syn::GenericArgument::Type(t) if mentions(t, name, depth + 1))
                        }),
                        _ => false,
                    }
            }),
            Type::Reference(r) => mentions(&r.elem, name, depth + 1),
            Type::Paren(p) => mentions(&p.elem, name, depth + 1),
            _ => false,
        }
    }
    match &sig.output {
        ReturnType::Type(_, ty) => mentions(ty, type_name, 0),
        ReturnType::Default => false,
    }
}

/// A constructor by its name (`new`, `with_pool`, `from_env`), or an associated function returning
/// the type. `User::find(conn, id) -> Result<Self>` also returns the type, but it is a query: the
/// caller checks for an I/O parameter first.
fn is_constructor(sig: &syn::Signature, type_name: Option<&str>, io_param: bool) -> bool {
    let name = sig.ident.to_string();
    let takes_self = matches!(sig.inputs.first(), Some(FnArg::Receiver(_)));
    matches!(name.as_str(), "new" | "default" | "builder" | "try_new")
        || name.starts_with("with_")
        || name.starts_with("from_")
        || (!takes_self && !io_param && returns_own_type(sig, type_name))
}

impl SyncFnInAsyncLayer {
    /// What makes the function a candidate, if anything: a sync handler, or a public function of a
    /// watched layer that is neither a constructor nor a trait method.
    fn candidate(&self, cx: &Cx<'_, '_>, f: &FnNode<'_>) -> Option<Candidate> {
        let info = cx.current_fn()?;
        if info.is_async || cx.in_test() || f.sig.constness.is_some() {
            return None;
        }
        if info.handler == HandlerStatus::Yes {
            if !self.handlers {
                return None;
            }
            let actix = f.attrs.iter().any(|a| {
                cx.resolve(a.path())
                    .is_some_and(|q| q.in_crates(&["actix_web", "actix_web_codegen"]))
            });
            return Some(Candidate {
                subject: format!("handler `{}`", info.name),
                evidence: Self::io_parameter(cx, f.sig),
                always: actix.then_some("actix-web only accepts async handlers"),
            });
        }
        let role = cx.role().filter(|r| self.roles.contains(r))?;
        let type_name = match &info.impl_of {
            Some((_, Some(_))) => return None, // the trait decides the signature
            Some((ty, None)) => ty.as_ref().map(|t| t.last().to_string()),
            None => None,
        };
        // not public API, or sync by name (`resolve_blocking`, `load_sync`): its async callers
        // are what blocking-call-via-sync-fn checks
        let name = info.name.as_str();
        if !info.is_pub
            || name.ends_with("_blocking")
            || name.starts_with("blocking_")
            || name.ends_with("_sync")
        {
            return None;
        }
        let io_param = Self::io_parameter(cx, f.sig);
        if is_constructor(f.sig, type_name.as_deref(), io_param.is_some()) {
            return None;
        }
        let qualified = match &type_name {
            Some(t) => format!("{t}::{}", info.name),
            None => info.name.clone(),
        };
        if self
            .allow
            .iter()
            .any(|a| *a == info.name || *a == qualified)
        {
            return None;
        }
        Some(Candidate {
            subject: format!(
                "`{qualified}`, a public function of the {} layer,",
                role.as_str()
            ),
            evidence: io_param,
            always: None,
        })
    }

    /// A parameter through which the function can do I/O synchronously.
    fn io_parameter(cx: &Cx<'_, '_>, sig: &syn::Signature) -> Option<String> {
        sig.inputs.iter().find_map(|arg| {
            let FnArg::Typed(t) = arg else { return None };
            let q = cx.resolve_type_peeled(&t.ty)?;
            (is_sync_io_handle(q.as_str()) || is_r2d2_like_pool(cx, q.as_str()))
                .then(|| format!("takes `{}`", cx.text_of(t.span())))
        })
    }

    fn note_body_io(cx: &mut Cx<'_, '_>, what: Option<String>) {
        let Some(what) = what else { return };
        if cx.in_async() || cx.in_escape_hatch() {
            return;
        }
        if let Some(Some(c)) = cx.scratch::<Watch>().0.last_mut() {
            if c.evidence.is_none() {
                c.evidence = Some(format!("calls `{what}`"));
            }
        }
    }

    fn watching(cx: &mut Cx<'_, '_>) -> bool {
        matches!(cx.scratch::<Watch>().0.last(), Some(Some(c)) if c.evidence.is_none())
    }
}

impl Rule for SyncFnInAsyncLayer {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn hooks(&self) -> Hooks {
        Hooks::FN | Hooks::FN_EXIT | Hooks::CALL | Hooks::METHOD_CALL
    }

    fn configure(&mut self, options: RuleOptions<'_>) -> Result<(), toml::de::Error> {
        let o = Options::deserialize(options)?;
        self.roles = o.roles.into_iter().map(|r| r.0).collect();
        self.allow = o.allow;
        self.handlers = o.handlers;
        Ok(())
    }

    fn check_fn(&self, cx: &mut Cx<'_, '_>, f: &FnNode<'_>) {
        let c = self.candidate(cx, f);
        cx.scratch::<Watch>().0.push(c);
    }

    fn check_fn_exit(&self, cx: &mut Cx<'_, '_>, f: &FnNode<'_>) {
        let Some(c) = cx.scratch::<Watch>().0.pop().flatten() else {
            return;
        };
        let message = match (c.always, &c.evidence) {
            (Some(why), _) => format!("{} is not async: {why}", c.subject),
            (None, Some(evidence)) => format!(
                "{} is sync but does I/O ({evidence}); handlers, services and repositories are `async fn`",
                c.subject
            ),
            (None, None) => return,
        };
        let d = cx
            .diag(f.sig.ident.span(), message)
            .with_label("sync function on the async request path")
            .with_help(
                "make it `async fn` on an async API (`sqlx`, `sea-orm`, `diesel_async`, `tokio::fs`, `reqwest::Client`) \
                 and `.await` it; if the work must stay sync, keep it behind an async fn that runs it in \
                 `tokio::task::spawn_blocking`",
            );
        cx.report(d);
    }

    fn check_call(&self, cx: &mut Cx<'_, '_>, call: &Call<'_>) {
        if Self::watching(cx) {
            let what = blocking_call(cx, call, &[]).map(|b| b.what);
            Self::note_body_io(cx, what);
        }
    }

    fn check_method_call(&self, cx: &mut Cx<'_, '_>, call: &MethodCall<'_>) {
        if Self::watching(cx) {
            let what = blocking_method_call(cx, call, &[]).map(|b| b.what);
            Self::note_body_io(cx, what);
        }
    }
}
