#!/usr/bin/env bash
# The proof scope is complete: every tracked C file of monitor/ plus the voter,
# the channel core and the attestation code appears in exactly one module of
# proofs/wp/modules.list, and every listed file exists.
set -uo pipefail
cd "$(dirname "$0")/../.."
listed=$(awk '!/^#/ && NF { for (i = 3; i <= NF; i++) print $i }' proofs/wp/modules.list | sort)
scope=$( (git ls-files 'monitor/*.c'; printf '%s\n' tmr/voter.c channels/fourslot.c channels/fifo.c attest/sha256.c) | sort -u)
rc=0
dup=$(uniq -d <<<"$listed")
[ -z "$dup" ] || { echo "proofs-wp-scope: listed twice: $dup"; rc=1; }
missing=$(comm -23 <(echo "$scope") <(echo "$listed" | sort -u))
[ -z "$missing" ] || { echo "proofs-wp-scope: in scope but in no module:"; sed 's/^/  /' <<<"$missing"; rc=1; }
for f in $listed; do [ -f "$f" ] || { echo "proofs-wp-scope: listed file missing: $f"; rc=1; }; done
[ $rc -ne 0 ] || echo "proofs-wp-scope: $(wc -l <<<"$scope") files in scope, all in proofs/wp/modules.list"
exit $rc
