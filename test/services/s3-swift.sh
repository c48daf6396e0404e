#!/usr/bin/env bash
# Single-node OpenStack Swift (Debian 12, 2.30) with the s3api middleware on 127.0.0.1:8080.
# Installs what it needs from Debian's packages when missing (about 10-25 s), then boots in about 8 s.
# S3 endpoint: http://127.0.0.1:${S3_PORT:-9000}, path-style, region us-east-1,
# access key "test:tester", secret "testing". Idempotent: exits early when the endpoint already answers.
# Project copy of ../shared/services/s3-swift.sh (test/services/s3.ts runs it): the same, plus a lock so
# that concurrent callers (test workers, another shell) wait for one boot instead of racing apt and swift.
set -euo pipefail
port=${S3_PORT:-9000}
if curl -sf "http://127.0.0.1:$port/healthcheck" >/dev/null 2>&1; then echo "s3 (swift) already up on $port"; exit 0; fi
if command -v flock >/dev/null && [ -z "${S3_SWIFT_LOCKED:-}" ]; then
  # -o: the daemons started below must not inherit the lock, or a later boot (swift gone, memcached
  # still up) would wait for it forever.
  exec env S3_SWIFT_LOCKED=1 flock -o "/tmp/atelier-s3-swift-$port.lock" bash "$0" "$@"
fi
if curl -sf "http://127.0.0.1:$port/healthcheck" >/dev/null 2>&1; then echo "s3 (swift) already up on $port"; exit 0; fi
if ! command -v swift-proxy-server >/dev/null; then
  (apt-get -o DPkg::Lock::Timeout=300 update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends \
    swift swift-proxy swift-account swift-container swift-object memcached curl >/dev/null
fi
t0=$(date +%s%N); lap() { echo "[$(( ($(date +%s%N)-t0)/1000000 )) ms] $*"; }
mkdir -p /etc/swift /srv/node/d1 /var/cache/swift /var/run/swift
cat > /etc/swift/swift.conf <<C
[swift-hash]
swift_hash_path_suffix = ci
swift_hash_path_prefix = ci
[storage-policy:0]
name = default
default = yes
C
cd /etc/swift
for x in account:6202 container:6201 object:6200; do n=${x%:*}; p=${x#*:}
  rm -f $n.builder $n.ring.gz
  swift-ring-builder $n.builder create 8 1 1 >/dev/null
  swift-ring-builder $n.builder add r1z1-127.0.0.1:$p/d1 100 >/dev/null
  swift-ring-builder $n.builder rebalance >/dev/null || true
  cat > /etc/swift/$n-server.conf <<C
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $p
devices = /srv/node
mount_check = false
workers = 1
[pipeline:main]
pipeline = $n-server
[app:$n-server]
use = egg:swift#$n
C
done
cat > /etc/swift/proxy-server.conf <<C
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = $port
workers = 1
[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats bulk s3api tempauth copy slo dlo proxy-logging proxy-server
[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = testing .admin
[filter:s3api]
use = egg:swift#s3api
location = us-east-1
[filter:catch_errors]
use = egg:swift#catch_errors
[filter:gatekeeper]
use = egg:swift#gatekeeper
[filter:healthcheck]
use = egg:swift#healthcheck
[filter:proxy-logging]
use = egg:swift#proxy_logging
[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:11211
[filter:listing_formats]
use = egg:swift#listing_formats
[filter:bulk]
use = egg:swift#bulk
[filter:copy]
use = egg:swift#copy
[filter:slo]
use = egg:swift#slo
[filter:dlo]
use = egg:swift#dlo
C
chown -R swift: /srv/node /var/cache/swift /var/run/swift 2>/dev/null || true
lap "rings + config"
pgrep -x memcached >/dev/null || memcached -d -u nobody -l 127.0.0.1 -p 11211
for s in object container account; do swift-$s-server /etc/swift/$s-server.conf > /var/log/swift-$s.log 2>&1 < /dev/null & done
swift-proxy-server /etc/swift/proxy-server.conf > /var/log/swift-proxy.log 2>&1 < /dev/null &
for i in $(seq 1 100); do curl -sf http://127.0.0.1:$port/healthcheck >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$port/healthcheck" >/dev/null || { echo "swift did not come up; see /var/log/swift-*.log" >&2; exit 1; }
lap "s3 (swift + s3api) up on 127.0.0.1:$port"
