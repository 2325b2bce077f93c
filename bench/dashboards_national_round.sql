-- A national round made from a simulated province in seconds, for bench/dashboards.py when simulating the whole
-- nation would take too long: every active LAO outside province 30 takes the report states, the events and the
-- LAO role grants of one LAO of province 30 (round robin). No values or seals are copied: the dashboards and the
-- laggard lists read states, events and grants only. Run on a database where province 30 alone was simulated:
--   psql -h 127.0.0.1 -U postgres -d info_dash -v ON_ERROR_STOP=1 -f bench/dashboards_national_round.sql
BEGIN;
CREATE TEMP TABLE donor AS
  SELECT id AS donor_id, row_number() OVER (ORDER BY id) - 1 AS k FROM organizations_lao WHERE province_id = (SELECT id FROM organizations_province WHERE code = '30') AND is_active;
CREATE TEMP TABLE pairs AS
  SELECT t.id AS lao_id, d.donor_id FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM organizations_lao
    WHERE is_active AND province_id <> (SELECT id FROM organizations_province WHERE code = '30')) t
  JOIN donor d ON d.k = t.n % (SELECT count(*) FROM donor);
INSERT INTO sectors_sectorreport (status, version, unchanged_confirmed, created_at, updated_at, fiscal_year_id, lao_id, sector_id, updated_by_id)
  SELECT r.status, r.version, r.unchanged_confirmed, r.created_at, r.updated_at, r.fiscal_year_id, p.lao_id, r.sector_id, r.updated_by_id
  FROM pairs p JOIN sectors_sectorreport r ON r.lao_id = p.donor_id;
INSERT INTO certification_reportevent (action, from_status, to_status, at, comment, field_reasons, actor_id, report_id)
  SELECT e.action, e.from_status, e.to_status, e.at, e.comment, e.field_reasons, e.actor_id, n.id
  FROM pairs p JOIN sectors_sectorreport o ON o.lao_id = p.donor_id
  JOIN sectors_sectorreport n ON n.lao_id = p.lao_id AND n.sector_id = o.sector_id AND n.fiscal_year_id = o.fiscal_year_id
  JOIN certification_reportevent e ON e.report_id = o.id;
INSERT INTO accounts_laouserobjectpermission (content_object_id, permission_id, user_id)
  SELECT p.lao_id, g.permission_id, g.user_id FROM pairs p JOIN accounts_laouserobjectpermission g ON g.content_object_id = p.donor_id
  ON CONFLICT DO NOTHING;
COMMIT;
ANALYZE;
