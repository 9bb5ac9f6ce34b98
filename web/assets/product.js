import { api, problemText, refreshCartCount, say } from './common.js';

// The product page's "Add to cart": the signed-in shopper's cart, or the guest's (its cookie).
const form = document.getElementById('add-to-cart');
const message = document.getElementById('cart-message');

form?.addEventListener('submit', async (e) => {
  e.preventDefault();
  const quantity = Number(new FormData(form).get('quantity'));
  const r = await api('POST', '/api/v1/cart/items', { product_id: form.dataset.product, quantity });
  if (!r.ok) return say(message, problemText(r.body));
  const line = r.body.items.find((i) => i.product_id === form.dataset.product);
  say(message, `Added to cart. Your cart holds ${line?.quantity ?? quantity} of this product.`);
  await refreshCartCount();
});
