#!/usr/bin/env bash
# Load benchmark on loopback, bounded in time: requests per second and p99 latency of
# POST /api/validate_application and POST /api/save_draft on the real backend, next to a bare
# axum JSON endpoint, in the same run. Needs `wrk` (Debian package; installed if missing).
# Usage: scripts/load.sh [seconds per endpoint, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
target="${BEIAN_CACHE_DIR:-$HOME/.cache/beian}/target"
CARGO_TARGET_DIR="$target" cargo build --release --locked -q -p beian-server --bin beian-server --example bare

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
port_app=$((20000 + RANDOM % 10000)); port_bare=$((port_app + 1))
"$target/release/beian-server" --demo --addr "127.0.0.1:$port_app" --data-dir "$work/data" >/dev/null 2>&1 &
"$target/release/examples/bare" "127.0.0.1:$port_bare" &
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port_app/healthz" >/dev/null && break; sleep 0.1; done

app='{"province":"CN-BJ","path":"first_filing","subject":{"subject_type":"individual","name":"张三","certificate_type":"resident_id","certificate_number":"110105199003071239","certificate_address":"北京市朝阳区1号","mailing_address":"北京市朝阳区1号"},"subject_principal":{"name":"张三","certificate_type":"resident_id","certificate_number":"110105199003071239","long_term":true,"mobile":"13800138000","email":"zhangsan@example.com"},"websites":[{"name":"张三的美食分享","domain":"zhangsan.com","domain_holder":"张三"},{"name":"张三的旅行日记","domain":"zhangsan-travel.com","domain_holder":"张三"}],"documents":[{"kind":"subject_certificate","id":"1"},{"kind":"authenticity_statement","id":"2"}],"service_code":"32a43232-a888-88e8-b9ec-00888be8888f"}'

# A logged-in applicant with a draft order, for save_draft.
jar="$work/cookies"
curl -sf -c "$jar" -H 'content-type: application/json' -d '{"username":"applicant@example.com","password":"demo-applicant"}' "http://127.0.0.1:$port_app/api/login" >/dev/null
order=$(curl -sf -b "$jar" -H 'content-type: application/json' -d '{"path":"first_filing"}' "http://127.0.0.1:$port_app/api/create_order" | sed -E 's/.*"id":"([^"]+)".*/\1/')
cookie=$(awk '$6=="beian_session"{print "beian_session="$7}' "$jar")

run() { # name connections url body [cookie]
  local name=$1 conns=$2; shift 2
  set -- "$name" "$@"
  printf '%s\n' "wrk.method = \"POST\"" "wrk.headers[\"Content-Type\"] = \"application/json\"" > "$work/post.lua"
  [ -n "${4:-}" ] && printf '%s\n' "wrk.headers[\"Cookie\"] = \"$4\"" >> "$work/post.lua"
  printf 'wrk.body = [==[%s]==]\n' "$3" >> "$work/post.lua"
  out=$(wrk -t"$(( conns < 2 ? 1 : 2 ))" -c"$conns" -d"${secs}s" --latency -s "$work/post.lua" "$2")
  rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
  p99=$(awk '$1=="99%"{print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/{print $5}' <<<"$out")
  printf '%-22s %3s conns %10s req/s   p99 %8s   non-2xx %s\n' "$1" "$conns" "$rps" "$p99" "${non2xx:-0}"
}
echo "load: ${secs}s per endpoint, loopback"
run "bare axum JSON" 16 "http://127.0.0.1:$port_bare/echo" '{"a":1}'
run "validate_application" 16 "http://127.0.0.1:$port_app/api/validate_application" "{\"application\":$app,\"as_of\":\"2026-11-22\"}"
# Saves of one order are serialised by its version (a concurrent save gets 409
# order.changed_meanwhile), so one connection; the bare endpoint again at one for comparison.
run "bare axum JSON" 1 "http://127.0.0.1:$port_bare/echo" '{"a":1}'
run "save_draft" 1 "http://127.0.0.1:$port_app/api/save_draft" "{\"order_id\":\"$order\",\"application\":$app}" "$cookie"
