// Row types of the tables, as Kysely sees them. Keep in step with migrations/.
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
// bigint columns come back from pg as strings; we keep them as strings for ids and counts.
type BigId = ColumnType<string, string | number | bigint, string | number | bigint>
type Json<T> = ColumnType<T, string, string>

export type Locale = 'en' | 'ko' | 'zh'
export type CampaignStatus = 'draft' | 'live' | 'closed'
export type CaseOutcome = 'won' | 'lost' | 'closed'
export type UpdateKind = 'update' | 'good-news' | 'outcome'

/** News on a campaign (migrations/20261207110000_campaign_updates.ts). */
export interface CampaignUpdatesTable {
  id: Generated<string>
  campaign_id: BigId
  kind: UpdateKind
  title: string
  body: string
  lang: Locale
  outcome: CaseOutcome | null
  created_by: BigId | null
  created_at: Generated<Date>
}

/** A threshold of signatures, and the update prepared for it. */
export interface CampaignMilestonesTable {
  id: Generated<string>
  campaign_id: BigId
  threshold: number
  update_kind: 'update' | 'good-news' | null
  update_title: string | null
  update_body: string | null
  update_lang: Locale | null
  update_notify: Generated<boolean>
  reached_at: NullableTimestamp
  update_id: BigId | null
  created_at: Generated<Date>
}

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
  /**
   * The console's language for this account (its pages and the emails it gets): chosen on its
   * account page, else the language of its first login; null: English.
   */
  locale: string | null
  /** The IANA time zone the console shows times in and counts "today" by; null: UTC. */
  time_zone: string | null
}

/** An endpoint told of events (migrations/20261209010000_webhooks.ts); `secret` signs, never shown again. */
export interface WebhooksTable {
  id: Generated<string>
  url: string
  events: string[]
  secret: string
  created_by: BigId | null
  created_at: Generated<Date>
  disabled_at: NullableTimestamp
}

export type WebhookDeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'cancelled'

/** One event for one endpoint: its payload (ids and counts) and where its sending stands. */
export interface WebhookDeliveriesTable {
  id: Generated<string>
  webhook_id: BigId
  event: string
  payload: Json<Record<string, unknown>>
  status: Generated<WebhookDeliveryStatus>
  attempts: Generated<number>
  created_at: Generated<Date>
  settled_at: NullableTimestamp
}

/** One try of a delivery: the endpoint's answer (or why there was none) and how long it took. */
export interface WebhookAttemptsTable {
  id: Generated<string>
  delivery_id: BigId
  webhook_id: BigId
  attempt: number
  status_code: number | null
  latency_ms: number
  error: string | null
  created_at: Generated<Date>
}

export interface ApiTokensTable {
  id: Generated<string>
  organizer_id: BigId
  token_hash: Buffer
  scope: ColumnType<TokenScope, TokenScope | undefined, TokenScope>
  expires_at: NullableTimestamp
  created_at: Generated<Date>
  last_used_at: NullableTimestamp
  revoked_at: NullableTimestamp
}

/** What an API token may do: `read` is refused every change (migrations/20261207130000_token_scopes.ts). */
export type TokenScope = 'read' | 'write'

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
  /** Letters the platform sent to the campaign's targets (one per target and supporter). */
  letters_sent: ColumnType<string, never, string>
  created_by: BigId | null
  created_at: Generated<Date>
  launched_at: NullableTimestamp
  closed_at: NullableTimestamp
  updated_at: Generated<Date>
  /** How the case ended, as an outcome update said; null while it is open. */
  outcome: CaseOutcome | null
  /** Origins whose pages may frame the campaign's embeddable form (its frame-ancestors). */
  embed_origins: ColumnType<string[], string[] | undefined, string[]>
}

/** People and bodies a campaign asks to act (migrations/20261207070000_targets.ts). */
export interface TargetsTable {
  id: Generated<string>
  name: string
  title: string | null
  organisation: string
  country: string
  locale: Locale
  email: string | null
  postal_address: string | null
  website: string | null
  platform_only: ColumnType<boolean, boolean | undefined, boolean>
  created_by: BigId | null
  created_at: Generated<Date>
  updated_at: Generated<Date>
  archived_at: NullableTimestamp
  /** A 5xx from its mail server: the platform sends it no further letters. */
  bounced_at: NullableTimestamp
  /** The next free turn in its spread of letters (LETTER_RATE_PER_HOUR). */
  next_letter_at: NullableTimestamp
  /** Letters go to it as one email a day (letter_bundles), not one email each. */
  letter_bundle: ColumnType<boolean, boolean | undefined, boolean>
}

/** A campaign's targets, in its order. */
export interface CampaignTargetsTable {
  campaign_id: BigId
  target_id: BigId
  position: number
}

/** A campaign's letter to its targets, per language (migrations/20261207080000_campaign_letters.ts). */
export interface CampaignLettersTable {
  campaign_id: BigId
  locale: Locale
  subject: string
  body: string
  updated_at: Generated<Date>
}

/** "I sent it myself" clicks per campaign, counted without who (migrations/20261207090000_letter_counts.ts). */
export interface CampaignLetterCountsTable {
  campaign_id: BigId
  self_sent: ColumnType<string, string | number | undefined, string | number>
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
  /** Kept for an organizer's review (no proof of work past the network's budget): not counted until accepted. */
  held: Generated<boolean>
  /** False when the signer asked for no news of this campaign (signing form, or an update's unsubscribe). */
  wants_updates: Generated<boolean>
}

/** A supporter's request that the platform send the campaign's letter (migrations/20261207100000_platform_letters.ts). */
export interface LettersTable {
  id: Generated<string>
  campaign_id: BigId
  name: string
  email: string
  email_key: string
  country: string
  city: string | null
  body: string | null
  wants_alerts: boolean
  /** Updates of the campaign reach the writer (unless they signed too: then as a signer). */
  wants_updates: ColumnType<boolean, boolean | undefined, boolean>
  /** Asked for with a signature: confirmed by the signature's link, with no email of its own. */
  with_signature: ColumnType<boolean, boolean | undefined, boolean>
  locale: string
  status: ColumnType<LetterStatus, LetterStatus | undefined, LetterStatus>
  confirm_nonce: Buffer
  confirm_expires_at: Timestamp
  ip_hash: Buffer | null
  created_at: Generated<Date>
  confirmed_at: NullableTimestamp
  last_emailed_at: NullableTimestamp
  /** The organizer's hold or drop that took it (letter_holds): a held letter is not sent until released. */
  hold_id: ColumnType<string | null, string | null | undefined, string | null>
}

export type LetterStatus = 'pending' | 'confirmed'

/** One letter's email to one target, at most once. */
export interface LetterSendsTable {
  id: Generated<string>
  letter_id: BigId
  target_id: BigId
  status: ColumnType<LetterSendStatus, LetterSendStatus | undefined, LetterSendStatus>
  send_after: Timestamp
  sent_at: NullableTimestamp
  /** The day's bundle it goes in, for a target that takes letters as one email a day. */
  bundle_id: ColumnType<string | null, string | null | undefined, string | null>
}

export type LetterSendStatus = 'queued' | 'sent' | 'bounced' | 'stopped'

/** An organizer's hold or drop of queued letters from one network or domain (migrations/20261210030002_letter_holds.ts). */
export interface LetterHoldsTable {
  id: Generated<string>
  campaign_id: BigId
  organizer_id: BigId | null
  action: 'hold' | 'drop'
  filter: Json<Record<string, string>>
  hit: number
  created_at: Generated<Date>
  released_at: NullableTimestamp
  released_by: BigId | null
}

/** One email a day to a target with that day's letters (migrations/20261210030001_letter_bundles.ts). */
export interface LetterBundlesTable {
  id: Generated<string>
  target_id: BigId
  /** The UTC day whose letters it carries. */
  day: DateOnly
  status: ColumnType<'open' | LetterSendStatus, 'open' | LetterSendStatus | undefined, 'open' | LetterSendStatus>
  letter_count: number | null
  created_at: Generated<Date>
  sent_at: NullableTimestamp
}

/** The petition sent to a target by an organizer's click (migrations/20261210030000_petition_deliveries.ts). */
export interface PetitionDeliveriesTable {
  id: Generated<string>
  campaign_id: BigId
  target_id: BigId
  /** The click's key: a second submit of the same confirm form writes nothing. */
  click_key: string
  requested_by: BigId | null
  status: ColumnType<LetterSendStatus, LetterSendStatus | undefined, LetterSendStatus>
  /** The count the email carried, once sent. */
  signature_count: number | null
  created_at: Generated<Date>
  sent_at: NullableTimestamp
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
  system_actor: string | null
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
  /** Rounded to 0.1 degree unless exact_point (migrations/20261209030000). */
  latitude: number | null
  longitude: number | null
  exact_point: ColumnType<boolean, boolean | undefined, boolean>
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
  /** Null once the address is erased or purged: a bounce or complaint then keeps only its hash. */
  email_key: string | null
  /** HMAC of the address's key under SECRET_KEY (addressHash); null on rows older than 20261207050001 until their address goes. */
  address_hash: Buffer | null
  reason: 'unsubscribed' | 'bounced' | 'complained'
  detail: string | null
  created_at: Generated<Date>
}

export type AlertStatus = 'fanning-out' | 'sending' | 'paused' | 'cancelled' | 'done'
export type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'suppressed' | 'cancelled'

export type AlertKind = 'report' | 'retraction' | 'update'

export interface AlertsTable {
  id: Generated<string>
  /** A report's alert or retraction; null for an update's. */
  report_id: BigId | null
  /** An update's alert; null for a report's. */
  update_id: BigId | null
  kind: AlertKind
  status: ColumnType<AlertStatus, AlertStatus | undefined, AlertStatus>
  fanout_cursor: ColumnType<string, string | undefined, string | number>
  /** Which recipients the cursor pages through: 'main' (subscribers or signatures), then an update's letter writers. */
  fanout_phase: ColumnType<FanoutPhase, FanoutPhase | undefined, FanoutPhase>
  created_at: Generated<Date>
  fanned_out_at: NullableTimestamp
}

export type FanoutPhase = 'main' | 'letters'

export interface DeliveriesTable {
  id: Generated<string>
  alert_id: BigId
  /** A report's alert goes to subscribers, an update's to signatures and letters: one of the three is set. */
  subscriber_id: BigId | null
  signature_id: BigId | null
  letter_id: BigId | null
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

/** Public forms dropped as automated, counted per day; no address, no IP hash. */
export interface FormRefusalsTable {
  day: ColumnType<string, string, string>
  form: 'signature' | 'subscription'
  campaign_id: BigId | null
  reason: 'honeypot' | 'too-fast' | 'bad-stamp'
  count: Generated<number>
}

/** The email cooldown of a mailbox and subject, under a keyed hash (modules/messages/cooldown.ts). */
export interface MailCooldownsTable {
  key: Buffer
  emailed_at: Timestamp
  outbox_id: string
}

/** Who runs this installation: one row (id 1). */
export interface SiteAboutTable {
  id: number
  organisation: string
  contact_email: string
  texts: ColumnType<Partial<Record<Locale, string>>, string | undefined, string>
  updated_at: ColumnType<Date, Date | undefined, Date>
}

export interface Database {
  site_about: SiteAboutTable
  organizers: OrganizersTable
  api_tokens: ApiTokensTable
  campaigns: CampaignsTable
  targets: TargetsTable
  campaign_targets: CampaignTargetsTable
  campaign_letters: CampaignLettersTable
  campaign_updates: CampaignUpdatesTable
  campaign_milestones: CampaignMilestonesTable
  campaign_letter_counts: CampaignLetterCountsTable
  signatures: SignaturesTable
  letters: LettersTable
  letter_sends: LetterSendsTable
  petition_deliveries: PetitionDeliveriesTable
  letter_bundles: LetterBundlesTable
  letter_holds: LetterHoldsTable
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
  form_refusals: FormRefusalsTable
  mail_cooldowns: MailCooldownsTable
  webhooks: WebhooksTable
  webhook_deliveries: WebhookDeliveriesTable
  webhook_attempts: WebhookAttemptsTable
  subscriber_imports: SubscriberImportsTable
}

// A supporter list uploaded in the console (migrations/20261209020000_subscriber_imports.ts)
export type SubscriberImportStatus = 'running' | 'done' | 'failed' | 'interrupted'

export interface SubscriberImportsTable {
  id: Generated<string>
  created_by: BigId | null
  filename: string
  status: ColumnType<SubscriberImportStatus, SubscriberImportStatus | undefined, SubscriberImportStatus>
  bytes_total: ColumnType<string, number, number>
  bytes_read: ColumnType<string, number | undefined, number>
  lines: ColumnType<number, number | undefined, number>
  imported: ColumnType<number, number | undefined, number>
  already_there: ColumnType<number, number | undefined, number>
  repeated: ColumnType<number, number | undefined, number>
  suppressed: ColumnType<number, number | undefined, number>
  invalid: ColumnType<number, number | undefined, number>
  invalid_lines: ColumnType<{ line: number; reason: string }[], string | undefined, string>
  error: string | null
  created_at: Generated<Date>
  updated_at: Generated<Date>
  finished_at: NullableTimestamp
}

export type Campaign = Selectable<CampaignsTable>
export type NewSignature = Insertable<SignaturesTable>
export type NewLetter = Insertable<LettersTable>
