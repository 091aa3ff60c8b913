/** Escaping for HTML and SVG text and attribute values: every user-controlled string goes through this. */

const MAP: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes `& < > " '` so the text can sit in element content or a quoted attribute. */
export function esc(text: string): string {
  // also drop characters that are not allowed in HTML/XML documents (C0 controls except tab/newline/CR)
  return text.replace(/[&<>"']/g, (c) => MAP[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '\uFFFD');
}
