import { html } from 'hono/html';
import { layout, type Markup } from '../layout.ts';

/**
 * The ops dashboard, for admins: products, warehouses, inventory and drops through the admin API, and a live
 * panel per drop (ops.js streams GET /api/v1/admin/drops/{id}/live and draws its figures as charts), with the
 * drop's last audit. The page itself holds no data: everything comes with the admin's token.
 */
export const opsPage = (): Markup =>
  layout(
    { title: 'Ops', script: 'ops.js' },
    html`<h1>Ops dashboard</h1>
<div id="ops-errors" role="alert" class="message error"></div>
<p id="ops-gate" class="message" hidden>This dashboard is for admins. <a href="/signin?next=/ops">Sign in</a> with an admin account.</p>
<div id="ops" hidden>
<section aria-labelledby="drops-title" class="panel">
  <h2 id="drops-title">Drops</h2>
  <form id="create-drop" class="inline-form">
    <label>Product <select name="product_id" class="product-select" required></select></label>
    <label>Units <input type="number" name="quantity" min="1" value="10" required></label>
    <label>Opens at <input type="datetime-local" name="starts_at" required></label>
    <label>Per shopper <input type="number" name="per_user_limit" min="1" value="1" required></label>
    <label>Hold seconds <input type="number" name="hold_seconds" min="10" value="300" required></label>
    <button type="submit">Create drop</button>
  </form>
  <p id="drop-message" role="status" class="message"></p>
  <div id="drop-panels" class="drop-panels"></div>
</section>
<section aria-labelledby="products-title" class="panel">
  <h2 id="products-title">Products</h2>
  <form id="create-product" class="inline-form">
    <label>SKU <input name="sku" required pattern="[A-Za-z0-9._\\-]+"></label>
    <label>Title <input name="title" required></label>
    <label>Price <input name="price" type="number" min="0" step="0.01" required></label>
    <label>Currency <input name="currency" value="USD" maxlength="3" required></label>
    <label>Brand <input name="brand"></label>
    <label>Categories <input name="category_path" placeholder="Fashion > Shoes"></label>
    <button type="submit">Create product</button>
  </form>
  <p id="product-message" role="status" class="message"></p>
  <table><caption>Newest products</caption>
    <thead><tr><th scope="col">Title</th><th scope="col">Price</th><th scope="col">In stock</th></tr></thead>
    <tbody id="product-rows"></tbody></table>
</section>
<section aria-labelledby="inventory-title" class="panel">
  <h2 id="inventory-title">Warehouses and inventory</h2>
  <form id="create-warehouse" class="inline-form">
    <label>Name <input name="name" required></label>
    <label>Region <input name="region" required></label>
    <button type="submit">Add warehouse</button>
  </form>
  <form id="set-inventory" class="inline-form">
    <label>Product <select name="product_id" class="product-select" required></select></label>
    <label>Warehouse <select name="warehouse_id" id="warehouse-select" required></select></label>
    <label>Units for sale <input type="number" name="available_count" min="0" value="100" required></label>
    <button type="submit">Set stock</button>
  </form>
  <p id="inventory-message" role="status" class="message"></p>
</section>
</div>`,
  );
