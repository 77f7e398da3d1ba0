// Our scripts (no inline scripts: the Content-Security-Policy allows only files from this site).
// A form with data-confirm="question" asks before it is sent.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);
