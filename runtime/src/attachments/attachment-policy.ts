/**
 * What may be attached (pure): the media types allowed per kind, the size and count limits, and the
 * decisions on an upload. Decisions use the type SNIFFED from the content, never the file name or
 * the client's Content-Type, so an executable named `photo.jpg` is refused for what it is.
 */
import { UserError } from '@gridflow/engine';
import type { LocalizedText } from '@gridflow/engine';

/** The kinds of attachment fields. */
export const ATTACHMENT_KINDS = ['photo', 'video', 'document'] as const;
/** A kind of attachment field. */
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

/** Size limit per kind (bytes) and the most attachments one field may hold. */
export interface AttachmentLimits {
  maxBytes: Record<AttachmentKind, number>;
  maxCount: number;
}

const MB = 1024 * 1024;
/** Default limits: photo 10 MB, video 200 MB, document 20 MB, 9 per field. */
export const DEFAULT_LIMITS: AttachmentLimits = { maxBytes: { photo: 10 * MB, video: 200 * MB, document: 20 * MB }, maxCount: 9 };

/** Media types allowed per kind, as `file-type` names them. Plain text is left out: it cannot be told apart from scripts safely. */
export const ALLOWED_MEDIA_TYPES: Record<AttachmentKind, readonly string[]> = {
  photo: ['image/jpeg', 'image/png', 'image/webp', 'image/heic'],
  video: ['video/mp4', 'video/quicktime'],
  document: [
    'application/pdf',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ],
};

/** Media types that are containers: the head alone may not tell what is inside (OOXML documents are zip files). */
export const CONTAINER_MEDIA_TYPES: readonly string[] = ['application/zip'];

const KIND_TEXT: Record<AttachmentKind, LocalizedText> = {
  photo: { 'zh-CN': '图片', en: 'photo' },
  video: { 'zh-CN': '视频', en: 'video' },
  document: { 'zh-CN': '文档', en: 'document' },
};

/** The field an upload is for, as messages name it (its label, or the kind when unknown). */
export function fieldLabel(kind: AttachmentKind, field?: string): LocalizedText {
  return field ? { 'zh-CN': field, en: field } : { 'zh-CN': `${KIND_TEXT[kind]['zh-CN']}附件`, en: `${KIND_TEXT[kind].en} attachment` };
}

/** Whether a sniffed media type is allowed for a kind. */
export function isAllowed(kind: AttachmentKind, mediaType: string | undefined): boolean {
  return mediaType !== undefined && ALLOWED_MEDIA_TYPES[kind].includes(mediaType);
}

/** Returns the sniffed media type when it is allowed for the kind; else refuses, naming the field and what was detected. */
export function decideMediaType(kind: AttachmentKind, sniffed: string | undefined, field?: string): string {
  if (sniffed !== undefined && isAllowed(kind, sniffed)) return sniffed;
  const name = fieldLabel(kind, field);
  const zh = sniffed ?? '无法识别的类型';
  const en = sniffed ?? 'an unrecognised type';
  return refuse('attachment.typeNotAllowed', 400, {
    'zh-CN': `${name['zh-CN']}：文件内容不是允许的${KIND_TEXT[kind]['zh-CN']}格式（检测为 ${zh}）`,
    en: `${name.en}: the content is not an allowed ${KIND_TEXT[kind].en} format (detected ${en})`,
  });
}

/** The refusal of an upload over the size limit of its kind (413). */
export function tooLarge(kind: AttachmentKind, maxBytes: number, field?: string): UserError {
  const name = fieldLabel(kind, field);
  const limit = maxBytes >= MB ? `${Math.round((maxBytes / MB) * 10) / 10} MB` : `${Math.round((maxBytes / 1024) * 10) / 10} KB`;
  return new UserError('attachment.tooLarge', {
    'zh-CN': `${name['zh-CN']}：文件超过${KIND_TEXT[kind]['zh-CN']}大小上限 ${limit}`,
    en: `${name.en}: the file is larger than the ${KIND_TEXT[kind].en} limit of ${limit}`,
  }, { status: 413 });
}

/** Refuses adding `adding` attachments to a field that holds `current` when that exceeds `maxCount`. */
export function checkAttachmentCount(kind: AttachmentKind, current: number, adding: number, maxCount: number, field?: string): void {
  if (current + adding <= maxCount) return;
  const name = fieldLabel(kind, field);
  refuse('attachment.tooMany', 400, {
    'zh-CN': `${name['zh-CN']}：最多可上传 ${maxCount} 个附件，已有 ${current} 个`,
    en: `${name.en}: at most ${maxCount} attachments are allowed; it has ${current}`,
  });
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const UNSAFE_CHARS = /[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069"<>|*?:]/g;

/** A file name safe to store and to show: no folders, control or direction-override characters, at most 255 characters. */
export function sanitizeFileName(declared: string | undefined): string {
  const base = (declared ?? '').normalize('NFC').split(/[/\\]/).pop() ?? '';
  const clean = base.replace(UNSAFE_CHARS, '').replace(/\s+/g, ' ').trim().replace(/^\.+/, '');
  const chars = Array.from(clean);
  if (chars.length === 0) return 'attachment';
  if (chars.length <= 255) return clean;
  const dot = clean.lastIndexOf('.');
  const ext = dot > 0 && clean.length - dot <= 16 ? Array.from(clean.slice(dot)) : [];
  return chars.slice(0, 255 - ext.length).join('') + ext.join('');
}

function refuse(code: string, status: number, message: LocalizedText): never {
  throw new UserError(code, message, { status });
}
