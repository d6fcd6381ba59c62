import { area } from './area.ts'

// Trust pages (issue 18 point 8): who runs this installation, and what it keeps in plain words,
// the figures from the running configuration; and the console form that sets the About.
export const siteMessages = area({
  en: {
    'about.title': 'About this site',
    'about.description': 'Who runs this Urgent Action site and how to reach them.',
    'about.runBy': 'This site is run by {organisation}.',
    'about.contact': 'Contact:',
    'about.unset':
      'The organisation running this site has not yet said who it is. Until it does, do not give it more than you would give a stranger.',
    'about.software':
      'It runs Urgent Action, open-source software for campaigns, letters to officials and incident reports. It loads nothing from other sites.',
    'privacy.title': 'Privacy',
    'privacy.description': 'What this site keeps about you, for how long, and how to have it deleted.',
    'privacy.intro': 'In plain words: what this site keeps when you sign, write or ask for alerts, and for how long.',
    'privacy.kept.heading': 'What is kept',
    'privacy.kept.signature':
      'When you sign: your name, email address, country, comment and choices. Your name and comment are shown, and delivered with the petition to the officials it is addressed to, only if you ask for your name to be shown.',
    'privacy.kept.letter':
      'When you have us send a letter: your name, email address, city, country and letter. The officials get your name, city and country, never your address.',
    'privacy.kept.alerts': 'When you ask for alerts: your email address, language and topics.',
    'privacy.kept.network':
      'A keyed hash of your network (not your IP address), kept {days} days to stop floods of fake signatures, then deleted.',
    'privacy.never.heading': 'What is never kept or shared',
    'privacy.never.address': 'Your email address is never shown, sold or given to the officials or to anyone else.',
    'privacy.never.ip': 'Your IP address is not stored, and not written to logs.',
    'privacy.never.thirdParty':
      'Pages load nothing from other sites: no trackers, fonts, maps or share buttons of others.',
    'privacy.time.heading': 'For how long',
    'privacy.time.confirm': 'A confirmation link works for {days} days.',
    'privacy.time.pending':
      'A signature, letter or alert never confirmed is deleted {days} days after its link expires.',
    'privacy.time.network': 'The hash of your network goes after {days} days.',
    'privacy.rights.heading': 'Your choices',
    'privacy.rights.erase': 'You can have everything kept under your email address deleted at any time:',
    'privacy.rights.unsubscribe': 'Every alert and update email has a link that stops them in one click.',
    'privacy.contact': 'Questions about your data: {organisation},',
    'console.nav.about': 'About',
    'console.about.heading': 'About this site',
    'console.about.intro': 'Shown on the public About page and named on the privacy page.',
    'console.about.organisation': 'Organisation',
    'console.about.contact': 'Contact email',
    'console.about.text': 'About, in {language}',
    'console.about.textHint':
      'Optional. A reader without text in their language gets another language, marked as such.',
    'console.about.saved': 'Saved. The About page shows it now.',
  },
  ko: {
    'about.title': '이 사이트 소개',
    'about.description': '이 긴급 행동 사이트를 운영하는 곳과 연락 방법입니다.',
    'about.runBy': '이 사이트는 {organisation}에서 운영합니다.',
    'about.contact': '연락처:',
    'about.unset':
      '이 사이트를 운영하는 단체가 아직 누구인지 밝히지 않았습니다. 밝히기 전까지는 낯선 사람에게 줄 정도 이상의 정보를 주지 마십시오.',
    'about.software':
      '이 사이트는 캠페인, 공직자에게 보내는 편지, 사건 보고를 위한 오픈 소스 소프트웨어 Urgent Action으로 운영됩니다. 다른 사이트에서 아무것도 불러오지 않습니다.',
    'privacy.title': '개인정보',
    'privacy.description': '이 사이트가 보관하는 정보, 보관 기간, 삭제 방법입니다.',
    'privacy.intro':
      '서명하거나 편지를 쓰거나 알림을 신청할 때 이 사이트가 무엇을 얼마나 오래 보관하는지 쉽게 설명합니다.',
    'privacy.kept.heading': '보관하는 것',
    'privacy.kept.signature':
      '서명할 때: 이름, 이메일 주소, 국가, 댓글, 선택 사항. 이름 공개를 원하실 때만 이름과 댓글이 공개되고 청원과 함께 받는 공직자에게 전달됩니다.',
    'privacy.kept.letter':
      '편지 발송을 맡기실 때: 이름, 이메일 주소, 도시, 국가, 편지. 공직자는 이름, 도시, 국가만 받고 이메일 주소는 받지 않습니다.',
    'privacy.kept.alerts': '알림을 신청할 때: 이메일 주소, 언어, 관심 주제.',
    'privacy.kept.network':
      '네트워크의 키 해시(IP 주소가 아님)를 가짜 서명 폭주를 막기 위해 {days}일 동안 보관한 뒤 삭제합니다.',
    'privacy.never.heading': '보관하거나 공유하지 않는 것',
    'privacy.never.address': '이메일 주소는 공개, 판매되거나 공직자나 다른 누구에게도 전달되지 않습니다.',
    'privacy.never.ip': 'IP 주소는 저장되지 않으며 로그에도 기록되지 않습니다.',
    'privacy.never.thirdParty':
      '페이지는 다른 사이트에서 아무것도 불러오지 않습니다. 추적기, 글꼴, 지도, 공유 버튼도 없습니다.',
    'privacy.time.heading': '보관 기간',
    'privacy.time.confirm': '확인 링크는 {days}일 동안 유효합니다.',
    'privacy.time.pending': '확인되지 않은 서명, 편지, 알림은 링크가 만료된 뒤 {days}일 후 삭제됩니다.',
    'privacy.time.network': '네트워크 해시는 {days}일 후 삭제됩니다.',
    'privacy.rights.heading': '선택할 수 있는 것',
    'privacy.rights.erase': '이메일 주소로 보관된 모든 정보를 언제든지 삭제할 수 있습니다:',
    'privacy.rights.unsubscribe': '모든 알림과 소식 이메일에는 한 번에 수신을 중단하는 링크가 있습니다.',
    'privacy.contact': '개인정보 문의: {organisation},',
    'console.nav.about': '소개',
    'console.about.heading': '이 사이트 소개',
    'console.about.intro': '공개 소개 페이지에 표시되고 개인정보 페이지에도 언급됩니다.',
    'console.about.organisation': '단체',
    'console.about.contact': '연락 이메일',
    'console.about.text': '소개 ({language})',
    'console.about.textHint': '선택 사항. 해당 언어의 글이 없으면 다른 언어의 글을 표시하고 그렇게 표시합니다.',
    'console.about.saved': '저장했습니다. 소개 페이지에 바로 표시됩니다.',
  },
  zh: {
    'about.title': '关于本网站',
    'about.description': '谁在运营这个紧急行动网站，以及如何联系他们。',
    'about.runBy': '本网站由{organisation}运营。',
    'about.contact': '联系方式：',
    'about.unset': '运营本网站的机构尚未说明其身份。在此之前，请不要提供超出你愿意告诉陌生人的信息。',
    'about.software':
      '本网站使用 Urgent Action，一款用于发起行动、致信官员和记录事件的开源软件。它不从其他网站加载任何内容。',
    'privacy.title': '隐私',
    'privacy.description': '本网站保存你的哪些信息、保存多久，以及如何删除。',
    'privacy.intro': '用简单的话说明：你签名、写信或订阅警报时，本网站保存什么、保存多久。',
    'privacy.kept.heading': '保存的内容',
    'privacy.kept.signature':
      '签名时：你的姓名、电子邮件地址、国家或地区、留言和选择。只有你同意公开姓名时，你的姓名和留言才会显示，并随请愿书一起递交给收件官员。',
    'privacy.kept.letter':
      '请我们代寄信件时：你的姓名、电子邮件地址、城市、国家或地区和信件。官员只会收到你的姓名、城市和国家，不会收到你的邮箱。',
    'privacy.kept.alerts': '订阅警报时：你的电子邮件地址、语言和关注主题。',
    'privacy.kept.network': '你所在网络的加密散列值（不是 IP 地址），保存 {days} 天以阻止大量虚假签名，之后删除。',
    'privacy.never.heading': '绝不保存或分享的内容',
    'privacy.never.address': '你的电子邮件地址绝不会被公开、出售或提供给官员或任何其他人。',
    'privacy.never.ip': '你的 IP 地址不会被保存，也不会写入日志。',
    'privacy.never.thirdParty': '页面不从其他网站加载任何内容：没有跟踪器、外部字体、地图或他人的分享按钮。',
    'privacy.time.heading': '保存多久',
    'privacy.time.confirm': '确认链接的有效期为 {days} 天。',
    'privacy.time.pending': '未确认的签名、信件或警报订阅在链接过期 {days} 天后删除。',
    'privacy.time.network': '网络散列值在 {days} 天后删除。',
    'privacy.rights.heading': '你的选择',
    'privacy.rights.erase': '你可以随时删除以你的电子邮件地址保存的所有信息：',
    'privacy.rights.unsubscribe': '每封警报和进展邮件都附有一键停止接收的链接。',
    'privacy.contact': '关于个人数据的问题：{organisation}，',
    'console.nav.about': '关于',
    'console.about.heading': '关于本网站',
    'console.about.intro': '显示在公开的“关于”页面上，并在隐私页面中提及。',
    'console.about.organisation': '机构',
    'console.about.contact': '联系邮箱',
    'console.about.text': '简介（{language}）',
    'console.about.textHint': '可选。没有读者语言的简介时，会显示另一种语言的简介并加以标注。',
    'console.about.saved': '已保存。“关于”页面现在就会显示。',
  },
})
