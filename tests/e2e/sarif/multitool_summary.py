#!/usr/bin/env python3
"""Summarise the log of `Sarif.Multitool validate -o LOG` and decide.

The Multitool writes its findings as SARIF: `results` (level error/warning/note, by rule such as
SARIF1001 or GH1001) plus tool notifications (configuration or execution problems). Prints counts
and every error and warning; exits 1 on any error, or on a warning whose rule is not in --allow.
"""

import argparse
import collections
import json
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("log")
    ap.add_argument("--name", required=True, help="what was validated, for the messages")
    ap.add_argument("--allow", default="", help="comma-separated warning rule ids accepted")
    args = ap.parse_args()
    allowed = {a for a in args.allow.split(",") if a}

    with open(args.log, encoding="utf-8-sig") as f:
        log = json.load(f)
    counts = collections.Counter()
    by_rule = collections.defaultdict(list)
    for run in log.get("runs", []):
        for r in run.get("results", []):
            level = r.get("level", "warning")
            counts[level] += 1
            text = r.get("message", {}).get("text") or ", ".join(
                r.get("message", {}).get("arguments", [])
            )
            by_rule[(level, r.get("ruleId"))].append(text)
        for inv in run.get("invocations", []):
            for key in ("toolExecutionNotifications", "toolConfigurationNotifications"):
                for n in inv.get(key, []):
                    level = n.get("level", "warning")
                    counts[level] += 1
                    rule = n.get("descriptor", {}).get("id", key)
                    by_rule[(level, rule)].append(n.get("message", {}).get("text", ""))
            if inv.get("executionSuccessful") is False:
                counts["error"] += 1
                by_rule[("error", "executionSuccessful")].append("the Multitool run failed")

    print(f"  {args.name}: {counts['error']} errors, {counts['warning']} warnings, "
          f"{counts['note']} notes")
    unexpected = 0
    for (level, rule), texts in sorted(by_rule.items()):
        if level == "note":
            print(f"    note {rule} x{len(texts)}")
            continue
        accepted = level == "warning" and rule in allowed
        unexpected += 0 if accepted else 1
        tag = " (accepted)" if accepted else ""
        print(f"    {level} {rule} x{len(texts)}{tag}: {texts[0]}")
    if counts["error"]:
        print(f"  FAIL: the Multitool reports {counts['error']} errors for {args.name}")
        return 1
    if unexpected:
        print(f"  FAIL: warnings outside the accepted list ({', '.join(sorted(allowed)) or 'none'})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
