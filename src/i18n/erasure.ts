import { area } from './area.ts'

// Self-service erasure: the request form, the emailed link, its page and what it says after.
export const erasureMessages = area({
  en: {
    'erase.link': 'Erase my data',
    'erase.title': 'Erase your data',
    'erase.intro':
      'You can erase everything we hold for your email address: your signatures on every petition, confirmed or not, and your email alert subscription. Enter the address and we will email a link to it; only that mailbox can complete the erasure.',
    'erase.email': 'Email address',
    'erase.submit': 'Send me the link',
    'erase.sent': 'If we hold anything for this address, we have sent a link to it. The link works for {hours} hours.',
    'erase.confirm.body': 'Pressing the button erases, for the address this link was sent to:',
    'erase.confirm.signatures':
      'its signatures on every petition, pending or confirmed, with the name, country and comment given; confirmed ones leave the public counts',
    'erase.confirm.alerts': 'its email alert subscription, what it follows, and alerts not yet sent',
    'erase.confirm.keep':
      'If an email to this address bounced or was reported as spam, we keep one thing: a keyed hash of the address (a fingerprint the address cannot be read back from), with that reason and its date. It lets us recognise the address if it is given again and never write to it: no confirmation, no alert, no other email. Everything else above is deleted.',
    'erase.confirm.final': 'This cannot be undone.',
    'erase.confirm.button': 'Erase my data',
    'erase.done.title': 'Your data is erased',
    'erase.done.body':
      'We have erased the signatures and the alert subscription of this address. You can sign and subscribe again at any time, unless an email to it bounced or was reported as spam: we never write to such an address again, not even to confirm.',
    'erase.used.title': 'This link was already used',
    'erase.used.body': 'What we held for this address has been erased.',
    'erase.expired.title': 'This link has expired',
    'erase.expired.body': 'An erasure link works for {hours} hours. Ask for a new one.',
    'erase.invalid.title': 'This link does not work',
    'erase.invalid.body': 'The link is unknown or incomplete. Check that you copied all of it, or ask for a new one.',
    'erase.again': 'Ask for a new link',
    'mail.erase.subject': 'Erase your data',
    'mail.erase.body':
      'Someone, probably you, asked to erase what {site} holds for this email address: its petition signatures and its alert subscription. Open this link and press the button to erase it:',
    'mail.erase.expiry':
      'The link works for {hours} hours. If you did not ask for this, ignore this email: nothing is erased unless the button is pressed.',
  },
  ko: {
    'erase.link': '내 정보 삭제',
    'erase.title': '내 정보 삭제하기',
    'erase.intro':
      '이메일 주소로 저장된 모든 정보를 삭제할 수 있습니다. 확인 여부와 관계없이 모든 청원의 서명과 이메일 알림 구독이 삭제됩니다. 주소를 입력하시면 그 주소로 링크를 보내 드리며, 삭제는 그 메일함에서만 완료할 수 있습니다.',
    'erase.email': '이메일 주소',
    'erase.submit': '링크 받기',
    'erase.sent': '이 주소로 저장된 정보가 있다면 그 주소로 링크를 보냈습니다. 링크는 {hours}시간 동안 유효합니다.',
    'erase.confirm.body': '버튼을 누르면 이 링크를 받은 주소에 대해 다음 정보가 삭제됩니다.',
    'erase.confirm.signatures':
      '모든 청원에 남긴 서명(확인 전후 모두)과 함께 적은 이름, 국가, 의견. 확인된 서명은 공개 서명 수에서 빠집니다.',
    'erase.confirm.alerts': '이메일 알림 구독과 구독 내용, 아직 발송되지 않은 알림',
    'erase.confirm.keep':
      '이 주소로 보낸 이메일이 반송되었거나 스팸으로 신고된 적이 있다면 한 가지만 남겨 둡니다. 주소 자체가 아니라 주소를 되살릴 수 없는 키 기반 해시(지문)와 그 사유, 날짜입니다. 같은 주소가 다시 입력되면 이것으로 알아보고, 확인 메일이든 알림이든 어떤 메일도 다시 보내지 않습니다. 그 밖의 위 정보는 모두 삭제됩니다.',
    'erase.confirm.final': '삭제한 정보는 되돌릴 수 없습니다.',
    'erase.confirm.button': '내 정보 삭제',
    'erase.done.title': '정보가 삭제되었습니다',
    'erase.done.body':
      '이 주소의 서명과 알림 구독을 삭제했습니다. 언제든 다시 서명하고 구독할 수 있습니다. 다만 이 주소로 보낸 메일이 반송되었거나 스팸으로 신고된 적이 있다면, 확인 메일을 포함해 어떤 메일도 다시 보내지 않습니다.',
    'erase.used.title': '이미 사용된 링크입니다',
    'erase.used.body': '이 주소로 저장되어 있던 정보는 이미 삭제되었습니다.',
    'erase.expired.title': '만료된 링크입니다',
    'erase.expired.body': '삭제 링크는 {hours}시간 동안만 유효합니다. 새 링크를 요청하세요.',
    'erase.invalid.title': '이 링크는 사용할 수 없습니다',
    'erase.invalid.body':
      '알 수 없거나 일부가 잘린 링크입니다. 링크 전체를 복사했는지 확인하거나 새 링크를 요청하세요.',
    'erase.again': '새 링크 요청하기',
    'mail.erase.subject': '내 정보 삭제하기',
    'mail.erase.body':
      '누군가(아마도 본인)가 {site}에 이 이메일 주소로 저장된 정보(청원 서명과 알림 구독)의 삭제를 요청했습니다. 이 링크를 열고 버튼을 눌러 삭제하세요:',
    'mail.erase.expiry':
      '링크는 {hours}시간 동안 유효합니다. 요청하지 않으셨다면 이 이메일을 무시하세요. 버튼을 누르지 않으면 아무것도 삭제되지 않습니다.',
  },
  zh: {
    'erase.link': '删除我的数据',
    'erase.title': '删除你的数据',
    'erase.intro':
      '你可以删除我们为你的电子邮件地址保存的全部数据：你在所有请愿中的签名（无论是否已确认）以及你的电子邮件警报订阅。输入地址后，我们会向该地址发送一个链接；只有该邮箱才能完成删除。',
    'erase.email': '电子邮件地址',
    'erase.submit': '给我发送链接',
    'erase.sent': '如果我们保存了与这个地址有关的数据，我们已向它发送了一个链接。链接在 {hours} 小时内有效。',
    'erase.confirm.body': '按下按钮后，将删除与接收此链接的地址有关的以下数据：',
    'erase.confirm.signatures':
      '在所有请愿中的签名（待确认和已确认的），以及所填写的姓名、国家和留言；已确认的签名将从公开的签名数中扣除',
    'erase.confirm.alerts': '电子邮件警报订阅、关注的内容，以及尚未发出的警报',
    'erase.confirm.keep':
      '如果发往这个地址的邮件曾被退回或被标记为垃圾邮件，我们只保留一项：该地址的密钥散列（一种无法还原出地址的指纹），以及原因和日期。凭借它，我们能在该地址再次被填写时认出它，并且不再向它发送任何邮件：不发确认邮件，不发警报，也不发其他邮件。上述其他数据全部删除。',
    'erase.confirm.final': '删除后无法恢复。',
    'erase.confirm.button': '删除我的数据',
    'erase.done.title': '你的数据已删除',
    'erase.done.body':
      '我们已删除这个地址的签名和警报订阅。你可以随时再次签名和订阅；但如果发往这个地址的邮件曾被退回或被标记为垃圾邮件，我们不会再向它发送任何邮件，包括确认邮件。',
    'erase.used.title': '此链接已被使用',
    'erase.used.body': '我们为这个地址保存的数据已被删除。',
    'erase.expired.title': '此链接已过期',
    'erase.expired.body': '删除链接在 {hours} 小时内有效。请重新申请一个链接。',
    'erase.invalid.title': '此链接无效',
    'erase.invalid.body': '链接无法识别或不完整。请确认复制了完整的链接，或重新申请一个。',
    'erase.again': '申请新链接',
    'mail.erase.subject': '删除你的数据',
    'mail.erase.body':
      '有人（可能是你本人）请求删除 {site} 为这个电子邮件地址保存的数据：请愿签名和警报订阅。打开此链接并按下按钮即可删除：',
    'mail.erase.expiry':
      '链接在 {hours} 小时内有效。如果不是你提出的请求，请忽略此邮件：不按下按钮，什么都不会被删除。',
  },
})
