//! Async all the way: no blocking on the executor, async all the way through.

mod blocking_call_in_async;
mod blocking_call_via_sync_fn;
mod lock_held_across_await;
mod password_hash_on_executor;
mod sync_fn_in_async_layer;

pub fn rules() -> Vec<Box<dyn stratalint_engine::Rule>> {
    vec![
        Box::new(blocking_call_in_async::BlockingCallInAsync::default()),
        Box::new(blocking_call_via_sync_fn::BlockingCallViaSyncFn::default()),
        Box::new(lock_held_across_await::LockHeldAcrossAwait),
        Box::new(password_hash_on_executor::PasswordHashOnExecutor),
        Box::new(sync_fn_in_async_layer::SyncFnInAsyncLayer::default()),
    ]
}
