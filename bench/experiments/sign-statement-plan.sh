#!/usr/bin/env bash
# Planning and execution time of the signing statement, before (168c265's parent: a new address
# only) and after (one statement for a new address and a repeat), as EXPLAIN ANALYZE reports them:
# 30 of each inside one transaction (rolled back), on the bench database; medians printed.
#
#   bash bench/experiments/sign-statement-plan.sh
set -euo pipefail
url="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}/ua_bench"
cid=$(psql "$url" -Atc "select id from campaigns where slug = 'stop-forced-returns-north-korean-refugees'")
insert="insert into signatures (campaign_id, name, email, email_key, country, comment, public_name, wants_alerts,
  locale, confirm_nonce, confirm_expires_at, ip_hash, last_emailed_at)
  select $cid::bigint, 'x'::text, md5(random()::text), md5(random()::text), 'KR'::char(2), null::text, false, false,
  'en', decode(md5(random()::text), 'hex'), now() + interval '1 day', null::bytea, now()"
before="with inserted as ($insert where exists (select 1 from campaigns where id = $cid::bigint and status = 'live')
  on conflict on constraint signatures_campaign_email_key do nothing returning id)
  insert into outbox (kind, payload)
  select 'signature.confirm', jsonb_build_object('signatureId', inserted.id::text) from inserted returning id"
after="with live as (select 1 from campaigns where id = $cid::bigint and status = 'live'),
  inserted as ($insert where exists (select 1 from live)
    on conflict on constraint signatures_campaign_email_key do nothing returning id),
  earlier as (select id from signatures where campaign_id = $cid::bigint and email_key = 'nobody@example.org'::text
    and exists (select 1 from live))
  insert into outbox (kind, payload)
  select 'signature.confirm', jsonb_build_object('signatureId', inserted.id::text) from inserted
  union all
  select 'signature.repeat', jsonb_build_object('signatureId', earlier.id::text) from earlier returning id"
for name in before after; do
  statement="${!name}"
  { echo 'begin;'; for _ in $(seq 30); do echo "explain (analyze, costs off, summary) $statement;"; done; echo 'rollback;'; } |
    psql "$url" -q | awk -v name="$name" '
      /Planning Time/ { p[++np] = $3 }
      /Execution Time/ { e[++ne] = $3 }
      END { asort(p); asort(e); printf "%s: planning %.3f ms, execution %.3f ms (medians of %d)\n", name, p[int((np + 1) / 2)], e[int((ne + 1) / 2)], np }'
done
