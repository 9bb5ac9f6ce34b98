import { html } from 'hono/html';
import { layout, type Markup } from '../layout.ts';

/** An error as a page: its title, the message meant for the shopper, and the fields at fault when known. */
export function errorPage(title: string, detail: string, errors: { field: string; message: string }[] = []): Markup {
  return layout(
    { title },
    html`<h1>${title}</h1>
<div role="alert" class="message error"><p>${detail}</p>
${errors.length === 0 ? '' : html`<ul>${errors.map((e) => html`<li><strong>${e.field}</strong> ${e.message}</li>`)}</ul>`}
</div>
<p><a href="/">Back to the shop</a></p>`,
  );
}
