/**
 * Notification channels: a plugin registers a channel (`notificationChannels.register(channel)` in
 * setup) and GridFlow hands it every in-app notification to deliver elsewhere (webhook, SMS gateway,
 * 政务微信 …). Deliveries are durable and retried by the runtime; a channel only has to send one.
 */
import type { LocalizedText } from '../i18n/localized-text.ts';

/** Personal data a channel may ask for beyond the recipient's id, username and display name. */
export type RecipientField = 'phone';

/** Who a notification is for. `phone` is present only for channels that declare they need it. */
export interface NotificationRecipient {
  userId: number;
  username: string;
  displayName: string;
  /** Only when the channel lists `phone` in `recipientFields` (null when the account has none). */
  phone?: string | null;
}

/** A notification as a channel receives it (texts in Chinese, the users' language). */
export interface ChannelNotification {
  /** Id of the in-app notification. */
  id: number;
  /** What happened: `task.urge` 催办, `task.cc` 抄送, `task.transfer` 转办, `task.delegate` 委派, or another kind. */
  kind: string;
  recipient: NotificationRecipient;
  caseId: string | null;
  taskId: string | null;
  /** Short title, zh-CN (e.g. 催办提醒). */
  title: string;
  /** The message, zh-CN, as shown in the app. */
  message: string;
  /** Where to act on it in the workbench (absolute when GridFlow knows its public URL), or null. */
  link: string | null;
  /** ISO 8601. */
  createdAt: string;
}

/** What a delivery attempt gets besides the notification. */
export interface DeliveryContext {
  /** Id of this delivery: the same on every attempt, so the receiver can drop repeats (an idempotency key). */
  deliveryId: string;
  /** 1 on the first attempt, then 2, 3 … */
  attempt: number;
  /** Aborted when the attempt has taken too long (before another runtime may take the delivery over). */
  signal: AbortSignal;
}

/** A way to deliver notifications outside the app. */
export interface NotificationChannel {
  /** Lowercase words separated by dots or dashes, e.g. `webhook`, `sms.aliyun`. */
  id: string;
  name: LocalizedText;
  /** Personal data the channel needs (e.g. `phone` for SMS); nothing beyond name and username otherwise. */
  recipientFields?: readonly RecipientField[];
  /**
   * Sends one notification. Resolve when it was accepted; throw PermanentDeliveryError when the
   * receiver refuses it for good; any other error is retried with backoff. May run more than once
   * for one delivery (after a crash or a timeout), always with the same `deliveryId`.
   */
  deliver(notification: ChannelNotification, ctx: DeliveryContext): Promise<void>;
}

/** A registered channel with the plugin that registered it. */
export interface NotificationChannelBinding extends NotificationChannel {
  pluginId: string;
  recipientFields: readonly RecipientField[];
}

/** The receiver refused the notification for good (e.g. HTTP 4xx): no retry. */
export class PermanentDeliveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentDeliveryError';
  }
}
