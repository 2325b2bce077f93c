-- The values and seals of a national round for bench/api_values.py, after bench/dashboards_national_round.sql has
-- given every active LAO outside province 30 the report states and events of one LAO of province 30: each such
-- report takes its donor report's values and seal (the seal's text still names the donor: a benchmark reads
-- rows, it does not check seals). The sealing trigger is skipped for this bulk load only (a superuser's
-- session_replication_role), since the copied reports are certified already. Safe to run twice.
--   psql -h 127.0.0.1 -U postgres -d info_bench -v ON_ERROR_STOP=1 -f bench/api_national_values.sql
BEGIN;
SET LOCAL session_replication_role = replica;
CREATE TEMP TABLE donor AS
  SELECT id AS donor_id, row_number() OVER (ORDER BY id) - 1 AS k FROM organizations_lao WHERE province_id = (SELECT id FROM organizations_province WHERE code = '30') AND is_active;
CREATE TEMP TABLE pairs AS
  SELECT t.id AS lao_id, d.donor_id FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM organizations_lao
    WHERE is_active AND province_id <> (SELECT id FROM organizations_province WHERE code = '30')) t
  JOIN donor d ON d.k = t.n % (SELECT count(*) FROM donor);
CREATE TEMP TABLE report_pairs AS
  SELECT o.id AS donor_report, n.id AS report FROM pairs p
  JOIN sectors_sectorreport o ON o.lao_id = p.donor_id
  JOIN sectors_sectorreport n ON n.lao_id = p.lao_id AND n.sector_id = o.sector_id AND n.fiscal_year_id = o.fiscal_year_id
  WHERE NOT EXISTS (SELECT 1 FROM sectors_indicatorvalue x WHERE x.report_id = n.id);
INSERT INTO sectors_indicatorvalue (report_id, indicator_id, value_integer, value_decimal, value_text, value_bool,
                                    not_applicable, carried_forward, change_reason, updated_at)
  SELECT rp.report, v.indicator_id, v.value_integer, v.value_decimal, v.value_text, v.value_bool, v.not_applicable,
         v.carried_forward, v.change_reason, v.updated_at
  FROM report_pairs rp JOIN sectors_indicatorvalue v ON v.report_id = rp.donor_report;
INSERT INTO certification_certificationseal (report_id, event_id, canonical, sha256, certified_by_id, certified_at,
                                             superseded_at)
  SELECT rp.report, ne.id, s.canonical, s.sha256, s.certified_by_id, s.certified_at, s.superseded_at
  FROM report_pairs rp JOIN certification_certificationseal s ON s.report_id = rp.donor_report
  JOIN certification_reportevent oe ON oe.id = s.event_id
  JOIN certification_reportevent ne ON ne.report_id = rp.report AND ne.action = oe.action AND ne.at = oe.at;
COMMIT;
ANALYZE;
