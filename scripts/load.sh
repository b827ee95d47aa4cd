#!/usr/bin/env bash
# Load benchmark on loopback, bounded in time: requests per second and p99 latency of
# POST /api/validate_application and POST /api/save_draft on the real backend, next to a bare
# axum JSON endpoint, in the same run. Needs `wrk` (Debian package; installed if missing).
# The bare endpoint (which reads the body as JSON and builds nothing from it) is measured
# twice: given the very same request body as validate_application, the comparison of the
# target (the same bytes cross the same HTTP stack, and the load tool does the same work for
# both), and given a 7-byte body (`{"a":1}`).
# The machine's load varies from one moment to the next, so the endpoints are measured in
# alternating rounds and compared by their medians; the server's own CPU time per request
# (user + system, from /proc) is printed beside each run.
# Usage: scripts/load.sh [seconds per run, default 10] [rounds, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
rounds="${2:-3}"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
target="${BEIAN_CACHE_DIR:-$HOME/.cache/beian}/target"
CARGO_TARGET_DIR="$target" cargo build --release --locked -q -p beian-server --bin beian-server --example bare

work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
port_app=$((20000 + RANDOM % 10000)); port_bare=$((port_app + 1))
"$target/release/beian-server" --demo --addr "127.0.0.1:$port_app" --data-dir "$work/data" >/dev/null 2>&1 &
pid_app=$!
"$target/release/examples/bare" "127.0.0.1:$port_bare" &
pid_bare=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port_app/healthz" >/dev/null && break; sleep 0.1; done

app='{"province":"CN-BJ","path":"first_filing","subject":{"subject_type":"individual","name":"张三","certificate_type":"resident_id","certificate_number":"110105199003071239","certificate_address":"北京市朝阳区1号","mailing_address":"北京市朝阳区1号"},"subject_principal":{"name":"张三","certificate_type":"resident_id","certificate_number":"110105199003071239","long_term":true,"mobile":"13800138000","email":"zhangsan@example.com"},"websites":[{"name":"张三的美食分享","domain":"zhangsan.com","domain_holder":"张三"},{"name":"张三的旅行日记","domain":"zhangsan-travel.com","domain_holder":"张三"}],"documents":[{"kind":"subject_certificate","id":"1"},{"kind":"authenticity_statement","id":"2"}],"service_code":"32a43232-a888-88e8-b9ec-00888be8888f"}'

# A logged-in applicant with a draft order, for save_draft.
jar="$work/cookies"
curl -sf -c "$jar" -H 'content-type: application/json' -d '{"username":"applicant@example.com","password":"demo-applicant"}' "http://127.0.0.1:$port_app/api/login" >/dev/null
order=$(curl -sf -b "$jar" -H 'content-type: application/json' -d '{"path":"first_filing"}' "http://127.0.0.1:$port_app/api/create_order" | sed -E 's/.*"id":"([^"]+)".*/\1/')
cookie=$(awk '$6=="beian_session"{print "beian_session="$7}' "$jar")

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

run() { # name pid connections url body [cookie] [chained]; prints a line and leaves the req/s in $rps
  # chained: each request's body is `body` with the "base_version" the previous answer's
  # "version" gives (a save from the version the last save returned), on one connection.
  local name=$1 pid=$2 conns=$3 url=$4 body=$5 cookie=${6:-} chained=${7:-}
  printf '%s\n' "wrk.method = \"POST\"" "wrk.headers[\"Content-Type\"] = \"application/json\"" > "$work/post.lua"
  [ -n "$cookie" ] && printf '%s\n' "wrk.headers[\"Cookie\"] = \"$cookie\"" >> "$work/post.lua"
  printf 'wrk.body = [==[%s]==]\n' "$body" >> "$work/post.lua"
  if [ -n "$chained" ]; then
    cat >> "$work/post.lua" <<'LUA'
version = 1
request = function()
  local body = wrk.body:gsub('"base_version":%d+', '"base_version":' .. version, 1)
  return wrk.format(nil, nil, nil, body)
end
response = function(status, headers, body)
  local v = body:match('"version":(%d+)')
  if v then version = tonumber(v) end
end
LUA
  fi
  local before after out n p99 non2xx cpu
  before=$(cpu_ticks "$pid")
  out=$(wrk -t"$(( conns < 2 ? 1 : 2 ))" -c"$conns" -d"${secs}s" --latency -s "$work/post.lua" "$url")
  after=$(cpu_ticks "$pid")
  rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
  n=$(awk '/requests in/{print $1}' <<<"$out")
  p99=$(awk '$1=="99%"{print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/{print $5}' <<<"$out")
  cpu=$(awk -v t="$((after - before))" -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "%.1f", t / hz * 1e6 / n}')
  printf '%-22s %3s conns %10s req/s   p99 %8s   server CPU %6s us/req   non-2xx %s\n' "$name" "$conns" "$rps" "$p99" "$cpu" "${non2xx:-0}"
}

median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }

body="{\"application\":$app,\"as_of\":\"2026-11-22\"}"
echo "load: ${secs}s per run, ${rounds} rounds, loopback; the application's request body is $(printf %s "$body" | wc -c) bytes"
same=() tiny=() validate=()
for round in $(seq "$rounds"); do
  run "bare, same body" "$pid_bare" 16 "http://127.0.0.1:$port_bare/echo" "$body"; same+=("$rps")
  run "validate_application" "$pid_app" 16 "http://127.0.0.1:$port_app/api/validate_application" "$body"; validate+=("$rps")
  run "bare, 7-byte body" "$pid_bare" 16 "http://127.0.0.1:$port_bare/echo" '{"a":1}'; tiny+=("$rps")
done
ms=$(printf '%s\n' "${same[@]}" | median); mt=$(printf '%s\n' "${tiny[@]}" | median)
mv=$(printf '%s\n' "${validate[@]}" | median)
awk -v s="$ms" -v t="$mt" -v v="$mv" 'BEGIN{
  printf "medians: validate_application %.0f req/s; bare endpoint, same body %.0f req/s: %.0f %%\n", v, s, 100 * v / s
  printf "         bare endpoint, 7-byte body %.0f req/s: %.0f %%\n", t, 100 * v / t }'
# Saves of one order are serialised by its version (a save names the version it was made
# from; a stale one gets 409 order.changed_meanwhile), so one connection, each save from the
# version the last one returned; the bare endpoint again at one for comparison.
save="{\"order_id\":\"$order\",\"base_version\":1,\"application\":$app}"
run "bare, same body" "$pid_bare" 1 "http://127.0.0.1:$port_bare/echo" "$save"
run "save_draft" "$pid_app" 1 "http://127.0.0.1:$port_app/api/save_draft" "$save" "$cookie" chained
