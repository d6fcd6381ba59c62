import { area } from './area.ts'

// Letters the platform sends for a supporter: the confirmation (email and page), and the lines
// added to the letter a target receives.
export const letterSendMessages = area({
  en: {
    'letter.count.platform': 'Letters sent by the platform for supporters: {count}',
    'letter.send.open': 'Have us send it for you',
    'letter.send.title': 'Send the letter about "{title}"',
    'letter.send.intro':
      'We email the letter in your name to each person below, once, after you confirm your email address. They get your name, city and country, never your email address.',
    'letter.send.nameHint': 'Signs the letter.',
    'letter.send.emailHint': 'We send one email to confirm; it is not given to the recipients.',
    'letter.send.city': 'City (optional)',
    'letter.send.body': 'Your letter',
    'letter.send.bodyHint':
      'Edit it if you like, up to {max} characters and a few links. Left as it is, each recipient gets it in their own language.',
    'letter.send.privacy': 'Your email address is never shown or shared.',
    'letter.send.alsoSign': 'Sign the petition too (one email confirms both)',
    'letter.choices.withSignature': 'Your letter goes to',
    'letter.send.submit': 'Send my letter',
    'letter.thanks.body':
      'We have sent an email to the address you gave. Press the button in it to send your letter. Nothing is sent until you do.',
    'console.target.bounced':
      'Its mail server refused a letter on {date}: no letters are sent to it until its email changes.',
    'erase.confirm.letters':
      'its letters the platform was asked to send, with the name, place and text given; a letter already sent stays with its recipient, who never had the address',
    'letter.choices.city': 'City',
    'letter.choices.letter': 'Letter',
    'letter.choices.own': 'Your own text, shown below',
    'letter.choices.template': "The campaign's letter, in each recipient's language",
    'letter.choices.to': 'Sent to',
    'letter.choices.latest':
      'The button sends the latest request made with this address, as shown here. If this is not what you asked for, do not press it. To change it, ask again on the campaign page: this link then sends your new request.',
    'letter.confirm.title': 'Send your letter',
    'letter.confirm.body':
      'Press the button to have your letter about "{title}" sent, in your name, to the people who decide.',
    'letter.confirm.button': 'Send my letter',
    'letter.confirm.text': 'Your letter',
    'letter.confirmed.title': 'Thank you, your letter is on its way',
    'letter.confirmed.body':
      'Your letter about "{title}" will be sent to each recipient once, spread over time so that it is read. Your email address is not given to them.',
    'letter.confirmed.already': 'This letter was already confirmed. Thank you.',
    'mail.letter.confirm.subject': 'Confirm your letter: {title}',
    'mail.letter.confirm.request':
      'Someone, probably you, asked us to send a letter about "{title}" in the name below, with this address:',
    'mail.letter.confirm.latest':
      'If this is not your request, do not confirm. If you ask again, this link sends your latest request, and its page shows it before you press the button.',
    'mail.letter.confirm.action': 'Open this link and press the button to send your letter:',
    'mail.letter.confirm.button': 'Send my letter',
    'mail.letter.confirm.until': 'The link works until {date}. Nothing is sent unless you confirm.',
    'mail.letter.subject': '{subject}',
    'mail.letter.footer':
      'Sent by {site} at the request of {name}, who confirmed this letter with us. Their contact details are not shared; replies to this email do not reach them.',
  },
  ko: {
    'letter.count.platform': '플랫폼이 지지자를 대신해 보낸 편지: {count}통',
    'letter.send.open': '플랫폼이 대신 보내기',
    'letter.send.title': '"{title}"에 관한 편지 보내기',
    'letter.send.intro':
      '이메일 주소를 확인하면 아래의 각 받는 사람에게 당신의 이름으로 편지를 한 번씩 보냅니다. 받는 사람에게는 이름, 도시, 국가만 전해지며 이메일 주소는 전해지지 않습니다.',
    'letter.send.nameHint': '편지에 서명으로 들어갑니다.',
    'letter.send.emailHint': '확인 이메일을 한 번 보냅니다. 받는 사람에게는 전달되지 않습니다.',
    'letter.send.city': '도시 (선택)',
    'letter.send.body': '편지 내용',
    'letter.send.bodyHint':
      '원하면 고쳐 쓰세요. 최대 {max}자, 링크는 몇 개까지만 됩니다. 그대로 두면 받는 사람마다 그 사람의 언어로 보냅니다.',
    'letter.send.privacy': '이메일 주소는 공개되거나 공유되지 않습니다.',
    'letter.send.alsoSign': '청원에도 서명합니다 (이메일 한 통으로 둘 다 확인)',
    'letter.choices.withSignature': '편지를 받는 사람',
    'letter.send.submit': '내 편지 보내기',
    'letter.thanks.body':
      '입력한 주소로 이메일을 보냈습니다. 이메일의 버튼을 눌러야 편지가 보내집니다. 누르기 전에는 아무것도 보내지 않습니다.',
    'console.target.bounced': '{date}에 메일 서버가 편지를 거부했습니다. 이메일을 바꿀 때까지 편지를 보내지 않습니다.',
    'erase.confirm.letters':
      '플랫폼에 보내 달라고 요청한 편지와 그 이름, 장소, 내용. 이미 보낸 편지는 받는 사람에게 남지만, 받는 사람은 이메일 주소를 받은 적이 없습니다',
    'letter.choices.city': '도시',
    'letter.choices.letter': '편지',
    'letter.choices.own': '직접 쓴 글 (아래에 표시)',
    'letter.choices.template': '캠페인 편지, 받는 사람의 언어로',
    'letter.choices.to': '받는 사람',
    'letter.choices.latest':
      '이 버튼은 이 주소로 한 최신 요청을 여기 보이는 대로 보냅니다. 요청한 내용이 아니면 누르지 마세요. 바꾸려면 캠페인 페이지에서 다시 요청하세요. 그러면 이 링크가 새 요청을 보냅니다.',
    'letter.confirm.title': '편지 보내기',
    'letter.confirm.body': '버튼을 누르면 "{title}"에 관한 편지가 당신의 이름으로 결정권자에게 보내집니다.',
    'letter.confirm.button': '내 편지 보내기',
    'letter.confirm.text': '편지 내용',
    'letter.confirmed.title': '감사합니다. 편지가 발송 대기 중입니다',
    'letter.confirmed.body':
      '"{title}"에 관한 편지는 받는 사람마다 한 번씩, 읽힐 수 있도록 시간을 나누어 보내집니다. 이메일 주소는 전달되지 않습니다.',
    'letter.confirmed.already': '이 편지는 이미 확인되었습니다. 감사합니다.',
    'mail.letter.confirm.subject': '편지를 확인해 주세요: {title}',
    'mail.letter.confirm.request':
      '누군가(아마 본인)가 이 이메일 주소로 "{title}"에 관한 편지를 아래 이름으로 보내 달라고 요청했습니다:',
    'mail.letter.confirm.latest':
      '본인의 요청이 아니면 확인하지 마세요. 다시 요청하면 이 링크는 최신 요청을 보내며, 버튼을 누르기 전에 페이지에서 보여 줍니다.',
    'mail.letter.confirm.action': '이 링크를 열고 버튼을 눌러 편지를 보내세요:',
    'mail.letter.confirm.button': '내 편지 보내기',
    'mail.letter.confirm.until': '링크는 {date}까지 유효합니다. 확인하지 않으면 아무것도 보내지 않습니다.',
    'mail.letter.subject': '{subject}',
    'mail.letter.footer':
      '{site}이(가) {name} 님의 요청으로 보낸 편지입니다. 보낸 분은 이 편지를 직접 확인했습니다. 보낸 분의 연락처는 공유되지 않으며, 이 이메일에 답장해도 그분께 전달되지 않습니다.',
  },
  zh: {
    'letter.count.platform': '平台代支持者寄出的信：{count} 封',
    'letter.send.open': '由我们代你发送',
    'letter.send.title': '发送关于"{title}"的信',
    'letter.send.intro':
      '在你确认电子邮件地址后，我们会以你的名义给下列每位收件人各发一次信。他们只会看到你的姓名、城市和国家，不会看到你的电子邮件地址。',
    'letter.send.nameHint': '作为信件的署名。',
    'letter.send.emailHint': '我们会发送一封确认邮件；该地址不会提供给收件人。',
    'letter.send.city': '城市（可选）',
    'letter.send.body': '你的信',
    'letter.send.bodyHint':
      '可以修改，最多 {max} 个字符，只能包含少量链接。如不修改，每位收件人会收到其本国语言的版本。',
    'letter.send.privacy': '你的电子邮件地址绝不会被公开或分享。',
    'letter.send.alsoSign': '同时签署请愿书（一封邮件即可确认两者）',
    'letter.choices.withSignature': '你的信将寄给',
    'letter.send.submit': '发送我的信',
    'letter.thanks.body':
      '我们已向你填写的地址发送了一封邮件。按下其中的按钮才会发送你的信；在此之前不会发送任何内容。',
    'console.target.bounced': '其邮件服务器于 {date} 拒收了一封信：在更改其电子邮件之前不再向其发信。',
    'erase.confirm.letters':
      '请平台代发的信件，以及所填写的姓名、地点和内容；已发出的信留在收件人处，收件人从未得到该地址',
    'letter.choices.city': '城市',
    'letter.choices.letter': '信件',
    'letter.choices.own': '你自己写的内容（见下方）',
    'letter.choices.template': '本活动的信件，使用每位收件人的语言',
    'letter.choices.to': '收件人',
    'letter.choices.latest':
      '此按钮会按此处所示发送用这个地址提出的最新请求。如果这不是你的请求，请不要按。要修改，请在活动页面重新提交：此链接随后会发送你的新请求。',
    'letter.confirm.title': '发送你的信',
    'letter.confirm.body': '按下按钮，即以你的名义将关于"{title}"的信发送给决策者。',
    'letter.confirm.button': '发送我的信',
    'letter.confirm.text': '你的信',
    'letter.confirmed.title': '谢谢，你的信正在发送',
    'letter.confirmed.body':
      '关于"{title}"的信会分时段发送给每位收件人各一次，以便被阅读。你的电子邮件地址不会提供给他们。',
    'letter.confirmed.already': '这封信已经确认过了。谢谢。',
    'mail.letter.confirm.subject': '请确认你的信：{title}',
    'mail.letter.confirm.request': '有人（可能是你）用这个地址请求我们以下面的名字发送一封关于"{title}"的信：',
    'mail.letter.confirm.latest':
      '如果这不是你的请求，请不要确认。如果你重新提交，此链接会发送你的最新请求，并在你按下按钮之前在页面上显示。',
    'mail.letter.confirm.action': '打开此链接并按下按钮发送你的信：',
    'mail.letter.confirm.button': '发送我的信',
    'mail.letter.confirm.until': '此链接在 {date} 之前有效。未经确认不会发送任何内容。',
    'mail.letter.subject': '{subject}',
    'mail.letter.footer':
      '本信由 {site} 应 {name} 的请求发送，寄信人已向我们确认此信。寄信人的联系方式不会被分享；回复此邮件不会送达本人。',
  },
})
