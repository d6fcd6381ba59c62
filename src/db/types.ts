// Row types of the tables, as Kysely sees them. Keep in step with migrations/.
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
// bigint columns come back from pg as strings; we keep them as strings for ids and counts.
type BigId = ColumnType<string, string | number | bigint, string | number | bigint>
type Json<T> = ColumnType<T, string, string>

export type Locale = 'en' | 'ko' | 'zh'
export type CampaignStatus = 'draft' | 'live' | 'closed'

export interface CampaignTexts {
  title?: string
  summary?: string
  body?: string
  target?: string
  asks?: string[]
}

/** A report's texts in another language; whatever is missing is shown as written. */
export interface ReportTexts {
  summary?: string
  place?: { name?: string; province?: string }
}

export interface OrganizersTable {
  id: Generated<string>
  email: string
  name: string
  role: 'admin' | 'organizer'
  password_hash: string | null
  disabled_at: NullableTimestamp
  created_at: Generated<Date>
  password_changed_at: NullableTimestamp
  /** Set with a password someone else has seen; the console then opens only the change screen. */
  password_must_change: Generated<boolean>
}

export interface ApiTokensTable {
  id: Generated<string>
  organizer_id: BigId
  token_hash: Buffer
  created_at: Generated<Date>
  last_used_at: NullableTimestamp
  revoked_at: NullableTimestamp
}

export interface CampaignsTable {
  id: Generated<string>
  slug: string
  title: string
  summary: string
  body: string
  target: string
  asks: Json<string[]>
  goal: number
  deadline: NullableTimestamp
  status: ColumnType<CampaignStatus, CampaignStatus | undefined, CampaignStatus>
  locale: ColumnType<string, string | undefined, string>
  translations: ColumnType<Partial<Record<Locale, CampaignTexts>>, string | undefined, string>
  signature_count: ColumnType<string, never, never>
  created_by: BigId | null
  created_at: Generated<Date>
  launched_at: NullableTimestamp
  closed_at: NullableTimestamp
  updated_at: Generated<Date>
}

export interface SignaturesTable {
  id: Generated<string>
  campaign_id: BigId
  name: string
  email: string
  email_key: string
  country: string
  comment: string | null
  public_name: boolean
  wants_alerts: boolean
  locale: string
  status: ColumnType<SignatureStatus, SignatureStatus | undefined, SignatureStatus>
  confirm_nonce: Buffer
  confirm_expires_at: Timestamp
  ip_hash: Buffer | null
  created_at: Generated<Date>
  confirmed_at: NullableTimestamp
  invalidation_id: ColumnType<string | null, never, string | null>
  last_emailed_at: NullableTimestamp
}

export type SignatureStatus = 'pending' | 'confirmed' | 'invalidated'

export interface SignatureCountDeltasTable {
  id: Generated<string>
  campaign_id: BigId
  delta: number
}

export interface OutboxTable {
  id: Generated<string>
  kind: string
  payload: Json<Record<string, unknown>>
  created_at: Generated<Date>
  relayed_at: NullableTimestamp
  done_at: NullableTimestamp
}

export interface SessionsTable {
  id: Generated<string>
  id_hash: Buffer
  organizer_id: BigId
  created_at: Generated<Date>
  last_seen_at: Timestamp
  expires_at: Timestamp
}

export interface InvitationsTable {
  id: Generated<string>
  organizer_id: BigId
  nonce: Buffer
  invited_by: BigId | null
  locale: ColumnType<string, string | undefined, string>
  created_at: Generated<Date>
  expires_at: Timestamp
  used_at: NullableTimestamp
}

export type AuditVia = 'console' | 'api' | 'system'

export interface AuditLogTable {
  id: Generated<string>
  at: Generated<Date>
  actor_id: BigId | null
  via: AuditVia
  action: string
  object_type: string
  object_id: string | null
  detail: Json<Record<string, unknown>>
}

export interface InvalidationsTable {
  id: Generated<string>
  campaign_id: BigId
  organizer_id: BigId | null
  filter: Json<Record<string, unknown>>
  hit: number
  created_at: Generated<Date>
  restored_at: NullableTimestamp
  restored_by: BigId | null
}

// Incident reports, subscribers, alerts (migrations/20261128020000_reports_alerts.ts)
export type ReportKind = 'detention' | 'forced-return' | 'transfer' | 'sentencing' | 'release'
export type Confidence = 'confirmed' | 'credible' | 'unverified'
export type ReportStatus = 'draft' | 'published' | 'retracted'
type DateOnly = ColumnType<string, string, string>

export interface ReportsTable {
  id: Generated<string>
  occurred_on: DateOnly
  place_name: string
  province: string
  country: string
  people_count: number
  kind: ReportKind
  summary: string
  locale: ColumnType<Locale, Locale | undefined, Locale>
  translations: ColumnType<Partial<Record<Locale, ReportTexts>>, string | undefined, string>
  source_name: string | null
  source_url: string | null
  confidence: Confidence
  campaign_id: BigId | null
  status: ColumnType<ReportStatus, ReportStatus | undefined, ReportStatus>
  correction_note: string | null
  created_by: BigId | null
  created_at: Generated<Date>
  published_at: NullableTimestamp
  retracted_at: NullableTimestamp
}

export type SubscriberStatus = 'pending' | 'active' | 'unsubscribed'
export type Frequency = 'immediate' | 'daily'

export interface SubscribersTable {
  id: Generated<string>
  /** '' once the retention purge erased the address; `email_key` is then 'erased:<id>' (migration 20261128090000). */
  email: string
  email_key: string
  locale: ColumnType<string, string | undefined, string>
  frequency: ColumnType<Frequency, Frequency | undefined, Frequency>
  status: ColumnType<SubscriberStatus, SubscriberStatus | undefined, SubscriberStatus>
  topic_all: ColumnType<boolean, boolean | undefined, boolean>
  nonce: Buffer
  confirm_expires_at: NullableTimestamp
  created_at: Generated<Date>
  confirmed_at: NullableTimestamp
  unsubscribed_at: NullableTimestamp
  last_digest_at: NullableTimestamp
  last_emailed_at: NullableTimestamp
}

export interface SubscriberCampaignsTable {
  subscriber_id: BigId
  campaign_id: BigId
}

export interface SubscriberProvincesTable {
  subscriber_id: BigId
  province: string
}

export interface SuppressionsTable {
  email_key: string
  reason: 'unsubscribed' | 'bounced' | 'complained'
  detail: string | null
  created_at: Generated<Date>
}

export type AlertStatus = 'fanning-out' | 'sending' | 'paused' | 'cancelled' | 'done'
export type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'suppressed' | 'cancelled'

export interface AlertsTable {
  id: Generated<string>
  report_id: BigId
  kind: 'report' | 'retraction'
  status: ColumnType<AlertStatus, AlertStatus | undefined, AlertStatus>
  fanout_cursor: ColumnType<string, string | undefined, string | number>
  created_at: Generated<Date>
  fanned_out_at: NullableTimestamp
}

export interface DeliveriesTable {
  id: Generated<string>
  alert_id: BigId
  subscriber_id: BigId
  status: ColumnType<DeliveryStatus, DeliveryStatus | undefined, DeliveryStatus>
  attempts: ColumnType<number, number | undefined, number>
  claimed_at: NullableTimestamp
  smtp_response: string | null
  sent_at: NullableTimestamp
}

export interface DigestsTable {
  id: Generated<string>
  subscriber_id: BigId
  day: DateOnly
  since: Timestamp
  until: Timestamp
  status: ColumnType<'queued' | 'sending' | 'sent' | 'failed' | 'suppressed' | 'empty', string | undefined, string>
  report_count: ColumnType<number, number | undefined, number>
  claimed_at: NullableTimestamp
  smtp_response: string | null
  sent_at: NullableTimestamp
}

/** Self-service erasure (migrations/20261128070000_erasure_requests.ts). */
export interface ErasureRequestsTable {
  id: Generated<string>
  email_key: string | null
  nonce: Buffer
  expires_at: Timestamp
  created_at: Generated<Date>
  emailed_at: NullableTimestamp
  used_at: NullableTimestamp
}

export interface Database {
  organizers: OrganizersTable
  api_tokens: ApiTokensTable
  campaigns: CampaignsTable
  signatures: SignaturesTable
  signature_count_deltas: SignatureCountDeltasTable
  outbox: OutboxTable
  reports: ReportsTable
  subscribers: SubscribersTable
  subscriber_campaigns: SubscriberCampaignsTable
  subscriber_provinces: SubscriberProvincesTable
  suppressions: SuppressionsTable
  alerts: AlertsTable
  deliveries: DeliveriesTable
  digests: DigestsTable
  sessions: SessionsTable
  invitations: InvitationsTable
  audit_log: AuditLogTable
  invalidations: InvalidationsTable
  erasure_requests: ErasureRequestsTable
}

export type Campaign = Selectable<CampaignsTable>
export type NewSignature = Insertable<SignaturesTable>
