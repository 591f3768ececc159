//! A project call graph for "does this sync function, called from async code, end up doing X?".
//!
//! While a file is walked, a rule records, per sync function of the project, the first call of
//! interest made directly in its body (the *sink*: a blocking call, a password hash) and the
//! project functions it calls ([`SyncFnFact`]), and every call from async code to a project
//! function ([`AsyncCallFact`]). After all files, [`Reach`] follows the calls backwards from the
//! sinks, so each async call site learns the shortest chain to one.
//!
//! Paths are canonical: free functions `app::util::read_config`, methods `app::services::
//! user_service::UserService::create` (also for `self.create()` and `Self::create()` inside the
//! impl), so callers and callees meet whatever file they are in.

use rustc_hash::FxHashMap;
use stratalint_engine::{Call, Cx, Loc, MethodCall, ProjectCx};

/// What a sync function of the project does, as far as the graph needs it.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct SyncFnFact {
    pub path: Box<str>,
    /// The first call of interest made directly in its body.
    pub sink: Option<Sink>,
    /// Project functions it calls, without repeats, one per line (one allocation per function:
    /// there are many of these facts).
    pub calls: String,
}

impl SyncFnFact {
    pub fn callees(&self) -> impl Iterator<Item = &str> {
        self.calls.split('\n').filter(|c| !c.is_empty())
    }
}

/// A call of interest (`std::fs::read_to_string`) and where it is made.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Sink {
    pub what: Box<str>,
    /// `file system`, `password hashing`, …
    pub kind: Box<str>,
    pub loc: Loc,
}

/// A call from async code of a function of the project, not awaited.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct AsyncCallFact {
    pub callee: Box<str>,
    pub loc: Loc,
    /// The async function (or `async` block's function) making the call.
    pub caller: Box<str>,
    /// The call is in a closure given to this function as this argument
    /// ([`Cx::enclosing_closure_call`]): it runs off the executor if the function offloads it.
    pub in_closure_of: Option<(Box<str>, usize)>,
}

impl AsyncCallFact {
    /// The call runs off the executor after all: its closure is handed to an escape hatch.
    pub fn offloaded(&self, cx: &ProjectCx<'_>) -> bool {
        self.in_closure_of
            .as_ref()
            .is_some_and(|(callee, arg)| cx.offloads(callee, *arg))
    }
}

/// Per-file working state (kept in the rule's [`Cx::scratch`]): one frame per function being
/// walked, `None` for functions the graph ignores (async ones, test code).
#[derive(Default)]
pub struct Tracker {
    frames: Vec<Option<Frame>>,
}

/// What a sync function walked so far will say in its [`SyncFnFact`]: small, as a frame is pushed
/// for every function.
#[derive(Default)]
struct Frame {
    sink: Option<Box<Sink>>,
    /// As [`SyncFnFact::calls`].
    calls: String,
    /// One bit per line of `calls`, picked by its hash: a callee whose bit is clear is not listed
    /// (most are not), without reading `calls` again.
    bloom: u64,
}

impl Frame {
    /// Is `callee` a line of `calls` already?
    fn lists(&self, callee: &str) -> bool {
        // equal callees hash equal: a clear bit is a callee not listed
        self.bloom & callee_bit(callee) != 0
            && self.calls.split('\n').any(|c| !c.is_empty() && c == callee)
    }

    fn push_call(&mut self, callee: &str) {
        self.bloom |= callee_bit(callee);
        if self.calls.capacity() == 0 {
            // most functions call a few: one allocation for them
            self.calls.reserve(callee.len().max(120));
        }
        if !self.calls.is_empty() {
            self.calls.push('\n');
        }
        self.calls.push_str(callee);
    }
}

fn callee_bit(callee: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    let h = BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(callee);
    1 << (h >> 58)
}

impl Tracker {
    /// On entering a function (`check_fn`).
    pub fn enter(cx: &mut Cx<'_, '_>) {
        let tracked = cx
            .current_fn()
            .is_some_and(|f| !f.is_async && !cx.in_test());
        // the path is filled in at the exit, for the few functions that have something to say
        let frame = tracked.then(Frame::default);
        cx.scratch::<Tracker>().frames.push(frame);
    }

    /// On leaving a function (`check_fn_exit`): its fact, if it has anything to say.
    pub fn exit(cx: &mut Cx<'_, '_>) {
        let frame = cx.scratch::<Tracker>().frames.pop().flatten();
        if let Some(f) = frame.filter(|f| f.sink.is_some() || !f.calls.is_empty()) {
            if let Some(info) = cx.current_fn() {
                cx.fact(SyncFnFact {
                    path: info.path.as_str().into(),
                    sink: f.sink.map(|s| *s),
                    calls: f.calls,
                });
            }
        }
    }

    /// Is the walk in the body of a sync function the graph follows (not in an `async` block
    /// inside it, not in a closure handed to `spawn_blocking`)?
    pub fn in_sync_body(cx: &mut Cx<'_, '_>) -> bool {
        if cx.in_async() || cx.in_escape_hatch() {
            return false;
        }
        matches!(cx.scratch::<Tracker>().frames.last(), Some(Some(_)))
    }

    /// The current sync function makes a call of interest (the first one is kept).
    pub fn note_sink(cx: &mut Cx<'_, '_>, what: &str, kind: &str, loc: Loc) {
        if let Some(Some(f)) = cx.scratch::<Tracker>().frames.last_mut() {
            if f.sink.is_none() {
                f.sink = Some(Box::new(Sink {
                    what: what.into(),
                    kind: kind.into(),
                    loc,
                }));
            }
        }
    }

    /// The current sync function calls the project function `callee`.
    pub fn note_call(cx: &mut Cx<'_, '_>, callee: &str) {
        if cx.current_fn().is_some_and(|f| f.path == callee) {
            return; // recursion
        }
        if let Some(Some(f)) = cx.scratch::<Tracker>().frames.last_mut() {
            if !f.lists(callee) {
                f.push_call(callee);
            }
        }
    }
}

/// Could `name` be a function of the crate that does I/O? Not a tuple struct or variant
/// (`UserId(1)`), not a method of the std traits every type implements.
fn may_be_io_fn(name: &str) -> bool {
    !name.starts_with(|c: char| c.is_ascii_uppercase())
        && !matches!(
            name,
            "clone"
                | "to_string"
                | "to_owned"
                | "into"
                | "from"
                | "eq"
                | "ne"
                | "cmp"
                | "partial_cmp"
                | "hash"
                | "fmt"
                | "default"
                | "as_ref"
                | "as_mut"
                | "deref"
                | "deref_mut"
                | "borrow"
                | "drop"
        )
}

/// The project function a path call names (`read_config(p)`, `Self::helper()`,
/// `crate::util::load()`).
pub fn project_callee_of_call<'c>(cx: &Cx<'_, '_>, call: &'c Call<'_>) -> Option<&'c str> {
    // the project test first: it is shared by the rules asking, and rejects most calls (std's,
    // dependencies') before the last segment is looked for
    let q = call.project_path(cx)?;
    may_be_io_fn(q.last()).then(|| q.as_str())
}

/// The project method a method call names: on `self` (the current impl's type) or on a value
/// whose type is a project type.
pub fn project_callee_of_method<'c>(cx: &Cx<'_, '_>, call: &'c MethodCall<'_>) -> Option<&'c str> {
    if !may_be_io_fn(&call.method) {
        return None;
    }
    call.project_method(cx)
}

/// Record a call from async code to a project function, for `check_project`.
pub fn note_async_call(cx: &mut Cx<'_, '_>, callee: &str, loc: Loc) {
    let caller = cx.current_fn().map(|f| f.name.clone()).unwrap_or_default();
    let in_closure_of = cx
        .enclosing_closure_call()
        .map(|(c, arg)| (Box::from(c), arg));
    cx.fact(AsyncCallFact {
        callee: callee.into(),
        loc,
        caller: caller.into_boxed_str(),
        in_closure_of,
    });
}

/// Which project functions reach a sink, each with its next step towards the nearest one.
pub struct Reach<'a> {
    fns: FxHashMap<&'a str, &'a SyncFnFact>,
    /// fn → the callee one step closer to a sink (itself when it holds the sink)
    next: FxHashMap<&'a str, &'a str>,
}

impl<'a> Reach<'a> {
    /// Follow the calls backwards from every function holding a sink (breadth first, so chains
    /// are shortest).
    pub fn compute(cx: &ProjectCx<'a>) -> Reach<'a> {
        let fns: FxHashMap<&'a str, &'a SyncFnFact> = cx
            .facts::<SyncFnFact>()
            .map(|(f, _)| (&*f.path, f))
            .collect();
        let mut callers: FxHashMap<&'a str, Vec<&'a str>> = FxHashMap::default();
        for f in fns.values() {
            for c in f.callees() {
                callers
                    .entry(cx.through_reexports(c))
                    .or_default()
                    .push(&f.path);
            }
        }
        let mut next: FxHashMap<&'a str, &'a str> = FxHashMap::default();
        let mut queue: std::collections::VecDeque<&'a str> = std::collections::VecDeque::new();
        let mut sinks: Vec<&'a str> = fns
            .values()
            .filter(|f| f.sink.is_some())
            .map(|f| &*f.path)
            .collect();
        sinks.sort_unstable();
        for s in sinks {
            next.insert(s, s);
            queue.push_back(s);
        }
        while let Some(f) = queue.pop_front() {
            let Some(cs) = callers.get(f) else { continue };
            for &c in cs {
                if let std::collections::hash_map::Entry::Vacant(e) = next.entry(c) {
                    e.insert(f);
                    queue.push_back(c);
                }
            }
        }
        Reach { fns, next }
    }

    /// The chain from `callee` to its sink: the functions called, then the sink.
    pub fn chain(&self, callee: &str) -> Option<(Vec<&'a str>, &'a Sink)> {
        let mut cur = *self.next.get_key_value(callee)?.0;
        let mut hops = vec![cur];
        loop {
            let next = self.next[cur];
            if next == cur {
                let sink = self.fns.get(cur)?.sink.as_ref()?;
                return Some((hops, sink));
            }
            cur = next;
            hops.push(cur);
        }
    }
}

/// A short name for a function in messages: `UserService::create`, `read_config`.
pub fn short_name(path: &str) -> &str {
    let mut it = path.rmatch_indices("::");
    match (it.next(), it.next()) {
        (Some((last, _)), Some((before, _))) => {
            let ty = &path[before + 2..last];
            if ty.starts_with(|c: char| c.is_ascii_uppercase()) {
                &path[before + 2..]
            } else {
                &path[last + 2..]
            }
        }
        (Some((last, _)), None) => &path[last + 2..],
        _ => path,
    }
}

/// `load_config → read_file → std::fs::read_to_string`.
pub fn describe(hops: &[&str], sink: &Sink) -> String {
    let mut parts: Vec<&str> = hops.iter().map(|h| short_name(h)).collect();
    parts.push(&sink.what);
    parts.join(" → ")
}

#[cfg(test)]
mod tests {
    use super::short_name;

    #[test]
    fn short_names() {
        assert_eq!(short_name("app::util::read_config"), "read_config");
        assert_eq!(
            short_name("app::services::user_service::UserService::create"),
            "UserService::create"
        );
        assert_eq!(short_name("app::load"), "load");
        assert_eq!(short_name("load"), "load");
    }
}
