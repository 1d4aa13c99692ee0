// Kyozo console: the only hand-written script. Live SSE fragments must not wipe out a form the user is
// typing in (e.g. the scale field of a service card): skip a swap while focus is inside its target.
document.addEventListener('htmx:sseBeforeMessage', function (e) {
  var el = e.target;
  var active = document.activeElement;
  if (el && active && el.contains(active) && /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName)) e.preventDefault();
});
