#!/bin/sh
# rust-analyzer check command: cargo check's diagnostics and stratalint's, in the JSON form
# rust-analyzer reads (`rust-analyzer.check.overrideCommand`). The exit status is cargo's: stratalint
# findings are shown in the editor, they do not mark the check as failed.
cargo check --workspace --all-targets --message-format=json "$@"
status=$?
stratalint check --format rustc-json --exit-zero
exit $status
