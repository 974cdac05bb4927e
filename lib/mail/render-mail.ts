import { env } from "../env";

/** What a message says; renderMail turns it into the plain-text and HTML parts. */
export interface MailContent {
  subject: string;
  /** The first line, e.g. "Verify your email address". */
  heading: string;
  /** Plain sentences; each becomes a paragraph. Never put a secret here. */
  paragraphs: string[];
  /** The one thing to do, as a link. Paths are made absolute with NEXTAUTH_URL. */
  action?: { label: string; url: string };
  /** A closing line in small print, e.g. why the reader got this mail. */
  footer?: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const PORTAL_NAME = "Keyport";

/** An absolute link into the portal: NEXTAUTH_URL's origin, else the local default. */
export function portalUrl(pathAndQuery: string): string {
  const origin = env.NEXTAUTH_URL ? new URL(env.NEXTAUTH_URL).origin : `http://localhost:${env.PORT ?? 3000}`;
  return new URL(pathAndQuery, origin).toString();
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** One layout for every message: a text part for any client, an HTML part with the same words. */
export function renderMail(content: MailContent): RenderedMail {
  const actionUrl = content.action ? portalUrl(content.action.url) : null;
  const text = [
    content.heading,
    "",
    ...content.paragraphs.flatMap((p) => [p, ""]),
    ...(content.action && actionUrl ? [`${content.action.label}: ${actionUrl}`, ""] : []),
    ...(content.footer ? [content.footer, ""] : []),
    `— ${PORTAL_NAME}`,
  ].join("\n");
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#111;max-width:560px;margin:0 auto;padding:24px">
<p style="font-weight:600;color:#4f46e5;margin:0 0 16px">${PORTAL_NAME}</p>
<h1 style="font-size:20px;margin:0 0 16px">${escapeHtml(content.heading)}</h1>
${content.paragraphs.map((p) => `<p style="line-height:1.5">${escapeHtml(p)}</p>`).join("\n")}
${
  content.action && actionUrl
    ? `<p style="margin:24px 0"><a href="${escapeHtml(actionUrl)}" style="background:#4f46e5;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(content.action.label)}</a></p>
<p style="font-size:12px;color:#555">Or open this address: ${escapeHtml(actionUrl)}</p>`
    : ""
}
${content.footer ? `<p style="font-size:12px;color:#555">${escapeHtml(content.footer)}</p>` : ""}
</body></html>`;
  return { subject: `${content.subject} · ${PORTAL_NAME}`, text, html };
}
