import { sql, type Kysely } from 'kysely'

// Where a report happened, for the tracker's map (issue 16). Optional: a report without them is
// drawn at its province. Stored rounded to 0.1 degree (about 10 km) unless the organizer chose
// an exact point, which is kept as `exact_point`; the rounding is the service's, the ranges are
// checked here too so no path can store a point off the globe.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('reports')
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('exact_point', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute()
  await db.schema
    .alterTable('reports')
    .addCheckConstraint(
      'reports_point_check',
      sql`(latitude is null) = (longitude is null)
        and (latitude is null or latitude between -90 and 90)
        and (longitude is null or longitude between -180 and 180)`,
    )
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('reports').dropConstraint('reports_point_check').execute()
  await db.schema
    .alterTable('reports')
    .dropColumn('latitude')
    .dropColumn('longitude')
    .dropColumn('exact_point')
    .execute()
}
