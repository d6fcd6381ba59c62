import { area } from './area.ts'

// What a confirm link confirms, on its page and in its email: a signature's or a subscription's
// choices, those of the latest request made with the address.
export const confirmMessages = area({
  en: {
    'choices.title': 'What this confirms',
    'choices.latest':
      'The button confirms the latest request made with this address, as shown here. If this is not what you asked for, do not press it. To change it, sign again on the campaign page: this link then confirms your new request.',
    'choices.changed': 'The request made with this address changed after you opened this page. Check it again.',
    'choices.name': 'Name',
    'choices.country': 'Country',
    'choices.comment': 'Comment',
    'choices.none': 'None',
    'choices.public': 'Name shown publicly',
    'choices.public.yes': 'Yes: your name, country and comment appear on the campaign page',
    'choices.public.no': 'No: your signature is counted, your name is not shown',
    'choices.alerts': 'Email alerts',
    'choices.alerts.yes': 'Yes, about this campaign',
    'choices.alerts.no': 'No',
    'confirmed.alertsHeld':
      'Alerts were not started: this address had asked us to stop emailing it, or our emails to it failed. If you want alerts, ask for them on the alerts page.',
    'mail.confirm.request': 'Someone, probably you, asked to sign "{title}" with this address, with these choices:',
    'mail.confirm.latest':
      'If these are not your choices, do not confirm. If you sign again, this link confirms your latest request, and its page shows it before you press the button.',
    'mail.confirm.until': 'The link works until {date}. Your signature counts only once it is confirmed.',
    'alerts.choices.latest':
      'The button confirms the latest request for alerts made with this address, as shown here. If this is not what you asked for, do not press it: ask again on the alerts page, and this link then confirms your new request.',
    'alerts.choices.changed':
      'The request for alerts made with this address changed after you opened this page. Check it again.',
    'alerts.choices.all': 'Everything published',
    'mail.sub.confirm.choices': 'What you confirm:',
    'mail.sub.confirm.until': 'The link works until {date}.',
    'mail.sub.confirm.latest':
      'If these are not your choices, do not confirm. If you ask again, this link confirms your latest request, and its page shows it before you press the button.',
  },
  ko: {
    'choices.title': '확인할 내용',
    'choices.latest':
      '이 버튼은 이 이메일 주소로 마지막에 한 요청을 여기 보이는 그대로 확인합니다. 요청한 내용과 다르면 누르지 마세요. 바꾸려면 캠페인 페이지에서 다시 서명하세요. 그러면 이 링크가 새 요청을 확인합니다.',
    'choices.changed': '이 페이지를 연 뒤에 이 주소로 한 요청이 바뀌었습니다. 다시 확인해 주세요.',
    'choices.name': '이름',
    'choices.country': '국가',
    'choices.comment': '의견',
    'choices.none': '없음',
    'choices.public': '이름 공개',
    'choices.public.yes': '예: 이름, 국가, 의견이 캠페인 페이지에 표시됩니다',
    'choices.public.no': '아니요: 서명은 집계되지만 이름은 표시되지 않습니다',
    'choices.alerts': '이메일 알림',
    'choices.alerts.yes': '예, 이 캠페인에 관한 알림',
    'choices.alerts.no': '아니요',
    'confirmed.alertsHeld':
      '알림은 시작되지 않았습니다. 이 주소는 이메일 수신 중단을 요청했거나, 이 주소로 보낸 이메일이 전달되지 않았습니다. 알림을 받으려면 알림 페이지에서 신청하세요.',
    'mail.confirm.request': '누군가(아마 본인)가 이 이메일 주소로 "{title}"에 다음과 같이 서명하겠다고 요청했습니다:',
    'mail.confirm.latest':
      '본인이 선택한 내용이 아니면 확인하지 마세요. 다시 서명하면 이 링크는 마지막 요청을 확인하며, 버튼을 누르기 전에 페이지에서 그 내용을 보여 드립니다.',
    'mail.confirm.until': '링크는 {date}까지 유효합니다. 확인된 서명만 집계됩니다.',
    'alerts.choices.latest':
      '이 버튼은 이 이메일 주소로 마지막에 한 알림 신청을 여기 보이는 그대로 확인합니다. 신청한 내용과 다르면 누르지 마세요. 알림 페이지에서 다시 신청하면 이 링크가 새 신청을 확인합니다.',
    'alerts.choices.changed': '이 페이지를 연 뒤에 이 주소로 한 알림 신청이 바뀌었습니다. 다시 확인해 주세요.',
    'alerts.choices.all': '게시되는 모든 보고',
    'mail.sub.confirm.choices': '확인할 내용:',
    'mail.sub.confirm.until': '링크는 {date}까지 유효합니다.',
    'mail.sub.confirm.latest':
      '본인이 선택한 내용이 아니면 확인하지 마세요. 다시 신청하면 이 링크는 마지막 신청을 확인하며, 버튼을 누르기 전에 페이지에서 그 내용을 보여 드립니다.',
  },
  zh: {
    'choices.title': '此操作确认的内容',
    'choices.latest':
      '此按钮确认用此邮箱地址提出的最新请求，即此处显示的内容。如果这不是你提出的，请不要按下。如需更改，请在行动页面重新签名：此链接随后将确认你的新请求。',
    'choices.changed': '你打开此页面之后，用此邮箱地址提出的请求有了变化。请再核对一遍。',
    'choices.name': '姓名',
    'choices.country': '国家或地区',
    'choices.comment': '留言',
    'choices.none': '无',
    'choices.public': '公开显示姓名',
    'choices.public.yes': '是：你的姓名、国家或地区和留言会显示在行动页面上',
    'choices.public.no': '否：你的签名会被计入，但不显示姓名',
    'choices.alerts': '电子邮件警报',
    'choices.alerts.yes': '是，关于此行动',
    'choices.alerts.no': '否',
    'confirmed.alertsHeld':
      '警报未开启：此地址曾要求我们停止向其发送邮件，或我们发往此地址的邮件未能送达。如需接收警报，请在警报页面申请。',
    'mail.confirm.request': '有人（可能是你）用此邮箱地址请求签署"{title}"，所作选择如下：',
    'mail.confirm.latest':
      '如果这些不是你的选择，请不要确认。如果你重新签名，此链接将确认你的最新请求，并在你按下按钮之前在页面上显示该请求。',
    'mail.confirm.until': '此链接在 {date} 之前有效。签名确认后才会计入。',
    'alerts.choices.latest':
      '此按钮确认用此邮箱地址提出的最新警报订阅请求，即此处显示的内容。如果这不是你提出的，请不要按下：请在警报页面重新申请，此链接随后将确认你的新请求。',
    'alerts.choices.changed': '你打开此页面之后，用此邮箱地址提出的警报订阅请求有了变化。请再核对一遍。',
    'alerts.choices.all': '所有发布的报告',
    'mail.sub.confirm.choices': '你将确认的内容：',
    'mail.sub.confirm.until': '此链接在 {date} 之前有效。',
    'mail.sub.confirm.latest':
      '如果这些不是你的选择，请不要确认。如果你重新申请，此链接将确认你的最新请求，并在你按下按钮之前在页面上显示该请求。',
  },
})
