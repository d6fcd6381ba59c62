// The signing form's proof of work (src/modules/challenge/service.ts): find the number whose
// SHA-256 after the salt is the challenge, put it in the form, and send the form once it is
// found and the person has pressed the button (or at once, if they already had: data-send).
'use strict'
;(function () {
  var form = document.querySelector('form.sign')
  var challenge = form && form.querySelector('input[name="challenge"]')
  var solution = form && form.querySelector('input[name="solution"]')
  var status = document.getElementById('challenge-status')
  if (!challenge || !solution || !status || !window.crypto || !crypto.subtle || !window.TextEncoder) return
  var parts = challenge.value.split('.')
  var salt = parts[0]
  var max = Number(parts[1])
  var target = parts[3]
  var encoder = new TextEncoder()
  var send = form.hasAttribute('data-send')
  var found = false

  function hex(buffer) {
    return Array.from(new Uint8Array(buffer), function (b) {
      return b.toString(16).padStart(2, '0')
    }).join('')
  }

  async function solve() {
    // In batches: one promise per hash would spend more time awaiting than hashing.
    for (var start = 0; start <= max; start += 200) {
      var batch = []
      for (var n = start; n < start + 200 && n <= max; n++) {
        batch.push(crypto.subtle.digest('SHA-256', encoder.encode(salt + n)))
      }
      var digests = await Promise.all(batch)
      for (var i = 0; i < digests.length; i++) if (hex(digests[i]) === target) return start + i
    }
    return undefined
  }

  function submit() {
    status.textContent = status.getAttribute('data-sending')
    form.submit()
  }

  form.addEventListener('submit', function (event) {
    // "Show all countries" posts elsewhere to redraw the form: no proof needed.
    if (found || (event.submitter && event.submitter.hasAttribute('formaction'))) return
    event.preventDefault()
    send = true
    status.textContent = status.getAttribute('data-working')
  })

  if (send) status.textContent = status.getAttribute('data-working')
  solve().then(function (n) {
    if (n === undefined) return
    solution.value = String(n)
    found = true
    if (send) submit()
    else status.textContent = status.getAttribute('data-ready')
  })
})()
