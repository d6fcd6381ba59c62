// The share panel's two buttons (views/partials/share.eta), shown only where the browser can do
// what they say: the device's own share sheet (the Web Share API) and copying the link. Without
// this script the panel still has the link to copy and a plain link per service.
'use strict'
;(function () {
  var panel = document.querySelector('[data-share-url]')
  if (!panel) return
  var url = panel.getAttribute('data-share-url')
  var status = panel.querySelector('[role="status"]')
  var native = panel.querySelector('button[data-share="native"]')
  var copy = panel.querySelector('button[data-share="copy"]')
  if (native && navigator.share) {
    native.hidden = false
    native.addEventListener('click', function () {
      navigator
        .share({ title: panel.getAttribute('data-share-title'), text: panel.getAttribute('data-share-text'), url: url })
        .catch(function () {})
    })
  }
  if (copy && navigator.clipboard && window.isSecureContext) {
    copy.hidden = false
    copy.addEventListener('click', function () {
      navigator.clipboard.writeText(url).then(
        function () {
          if (status) status.textContent = copy.getAttribute('data-done')
        },
        function () {},
      )
    })
  }
})()
