import { area } from './area.ts'

// The signing form's proof-of-work step, and the console's queue of signatures held for review.
export const reviewMessages = area({
  en: {
    'challenge.title': 'One more step',
    'challenge.body':
      'Many signatures came from your network in the last hour, so your browser does a short calculation before your signature is sent. This takes a moment and sends nothing anywhere else.',
    'challenge.noscript':
      'If JavaScript is off in your browser, press the button anyway: your signature will be kept, and checked by a person before it counts.',
    'challenge.working': 'Checking… your signature will be sent in a moment.',
    'challenge.ready': 'Ready. Press the button to sign.',
    'challenge.sending': 'Sending your signature…',
    'console.review.title': 'Signatures to review',
    'console.review.titleOf': 'Signatures to review: {title}',
    'console.review.link': 'Review held signatures ({count})',
    'console.review.intro':
      'These came from a network past its signing budget without the browser check (usually because JavaScript was off). They are kept but not counted, exported or shown until you accept them. Rejecting invalidates them (reversible from the campaign page).',
    'console.review.empty': 'Nothing to review.',
    'console.review.pick': 'Select',
    'console.review.accept': 'Accept selected',
    'console.review.reject': 'Reject selected',
    'console.review.none': 'Select at least one signature.',
    'console.status.held': 'Held for review',
  },
  ko: {
    'challenge.title': '한 단계만 더',
    'challenge.body':
      '지난 한 시간 동안 같은 네트워크에서 서명이 많이 들어와, 서명을 보내기 전에 브라우저가 잠깐 계산을 합니다. 잠시면 끝나며, 다른 곳으로 아무것도 보내지 않습니다.',
    'challenge.noscript':
      '브라우저에서 자바스크립트를 끈 경우에도 버튼을 누르세요. 서명은 보관되며, 사람이 확인한 뒤에 집계됩니다.',
    'challenge.working': '확인 중입니다… 곧 서명이 전송됩니다.',
    'challenge.ready': '준비되었습니다. 버튼을 눌러 서명하세요.',
    'challenge.sending': '서명을 보내는 중…',
    'console.review.title': '검토할 서명',
    'console.review.titleOf': '검토할 서명: {title}',
    'console.review.link': '보류된 서명 검토 ({count})',
    'console.review.intro':
      '서명 한도를 넘은 네트워크에서 브라우저 확인 없이(대개 자바스크립트가 꺼져 있어) 들어온 서명입니다. 승인하기 전까지는 보관만 되고 집계·내보내기·공개되지 않습니다. 거부하면 무효 처리됩니다(캠페인 페이지에서 되돌릴 수 있음).',
    'console.review.empty': '검토할 서명이 없습니다.',
    'console.review.pick': '선택',
    'console.review.accept': '선택한 서명 승인',
    'console.review.reject': '선택한 서명 거부',
    'console.review.none': '서명을 하나 이상 선택하세요.',
    'console.status.held': '검토 대기',
  },
  zh: {
    'challenge.title': '还差一步',
    'challenge.body':
      '过去一小时内来自您所在网络的签名很多，因此在发送签名前，您的浏览器会先进行一次简短的计算。只需片刻，且不会向任何其他地方发送数据。',
    'challenge.noscript': '如果您的浏览器关闭了 JavaScript，也请按下按钮：您的签名会被保留，经人工核查后才会计入。',
    'challenge.working': '正在核验……您的签名稍后即会发送。',
    'challenge.ready': '已就绪。请按按钮签名。',
    'challenge.sending': '正在发送您的签名……',
    'console.review.title': '待审核的签名',
    'console.review.titleOf': '待审核的签名：{title}',
    'console.review.link': '审核暂缓的签名（{count}）',
    'console.review.intro':
      '这些签名来自超出签名额度的网络，且未经浏览器核验（通常因为关闭了 JavaScript）。在您接受之前，它们只被保留，不计入、不导出、不公开。拒绝即作废（可在活动页面撤销）。',
    'console.review.empty': '没有待审核的签名。',
    'console.review.pick': '选择',
    'console.review.accept': '接受所选',
    'console.review.reject': '拒绝所选',
    'console.review.none': '请至少选择一个签名。',
    'console.status.held': '待审核',
  },
})
