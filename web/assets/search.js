// The search page: a change of a filter or of the sort applies it at once (the Apply button stays for keyboards
// and for pages without scripts). On a phone the filters start folded, so the results come first.
const form = document.getElementById('filters');
form?.addEventListener('change', () => form.requestSubmit());
const box = form?.closest('details');
if (box && matchMedia('(max-width: 760px)').matches) box.open = false;
