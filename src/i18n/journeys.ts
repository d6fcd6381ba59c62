// The supporter's journey: what search results and the signing steps say around the form.
import { area } from './area.ts'

export const journeyMessages = area({
  en: {
    'site.description':
      'Urgent actions for people at risk: sign petitions, follow incident reports and get alerts when something happens.',
    'thanks.to': 'The email goes to:',
    'thanks.typo': 'Did you mean this address?',
    'thanks.typoFix': 'Correct the address and sign again',
    'thanks.open': 'Open the link in it to confirm your signature. Your signature only counts once it is confirmed.',
    'thanks.noEmail': 'No email?',
    'thanks.spam': 'Wait a few minutes, then look in your spam or junk folder.',
    'thanks.checkAddress': 'Check the address above: if it has a typo, sign again with the right one.',
    'thanks.checkAddressUnknown': 'Check that you typed your address correctly; if not, sign again with the right one.',
    'thanks.againIn': 'To be sent another email, sign again with the same address in {minutes} minutes or later.',
    'thanks.againNow': 'To be sent another email, sign again with the same address.',
    'next.title': 'What happens next',
    'next.confirm': 'Confirm your signature with the link in the email.',
    'next.counts':
      'Your confirmed signature is added to the count on the campaign page. Your name is shown there only if you chose to show it.',
    'next.deliveryOn':
      'When the campaign closes on {date}, we deliver the petition to {target} with the name, country and comment of every confirmed signer. Your email address is never passed on.',
    'next.delivery':
      'When the campaign closes, we deliver the petition to {target} with the name, country and comment of every confirmed signer. Your email address is never passed on.',
    'next.alertsStarted':
      'You will get an email when we publish a new report on this case. Every alert has a link to change or stop your alerts.',
    'next.alertsAsked':
      'Once you confirm, you will get an email when we publish a new report on this case. Every alert has a link to change or stop your alerts.',
    'next.alertsOffer': 'Want to hear when something happens in this case?',
    'next.share': 'Ask others to sign',
    'form.privacySign':
      'Your email address is never shown or shared. Your IP address is not stored: only a keyed hash of your network, kept {days} days to stop floods of fake signatures, then deleted.',
  },
  ko: {
    'site.description':
      '위험에 처한 사람들을 위한 긴급 행동: 청원에 서명하고, 사건 보고를 확인하고, 새 소식이 있을 때 알림을 받으세요.',
    'thanks.to': '이메일을 보낸 주소:',
    'thanks.typo': '혹시 이 주소인가요?',
    'thanks.typoFix': '주소를 고쳐서 다시 서명하기',
    'thanks.open': '이메일의 링크를 열어 서명을 확인해 주세요. 서명은 확인된 뒤에만 집계됩니다.',
    'thanks.noEmail': '이메일이 오지 않았나요?',
    'thanks.spam': '몇 분 기다린 뒤 스팸함(정크 메일함)을 확인해 주세요.',
    'thanks.checkAddress': '위 주소를 확인해 주세요. 오타가 있다면 올바른 주소로 다시 서명해 주세요.',
    'thanks.checkAddressUnknown':
      '주소를 올바르게 입력했는지 확인해 주세요. 잘못 입력했다면 올바른 주소로 다시 서명해 주세요.',
    'thanks.againIn': '이메일을 다시 받으려면 {minutes}분 뒤에 같은 주소로 다시 서명해 주세요.',
    'thanks.againNow': '이메일을 다시 받으려면 같은 주소로 다시 서명해 주세요.',
    'next.title': '다음 단계',
    'next.confirm': '이메일의 링크로 서명을 확인해 주세요.',
    'next.counts': '확인된 서명은 캠페인 페이지의 서명 수에 더해집니다. 이름은 공개를 선택한 경우에만 표시됩니다.',
    'next.deliveryOn':
      '캠페인이 {date}에 마감되면, 확인된 모든 서명자의 이름, 국가, 의견과 함께 청원을 {target}에 전달합니다. 이메일 주소는 절대 전달하지 않습니다.',
    'next.delivery':
      '캠페인이 마감되면, 확인된 모든 서명자의 이름, 국가, 의견과 함께 청원을 {target}에 전달합니다. 이메일 주소는 절대 전달하지 않습니다.',
    'next.alertsStarted':
      '이 사건에 관한 새 보고가 게시되면 이메일로 알려 드립니다. 모든 알림에는 알림을 바꾸거나 끊을 수 있는 링크가 있습니다.',
    'next.alertsAsked':
      '서명을 확인하면, 이 사건에 관한 새 보고가 게시될 때 이메일로 알려 드립니다. 모든 알림에는 알림을 바꾸거나 끊을 수 있는 링크가 있습니다.',
    'next.alertsOffer': '이 사건에 새 소식이 있을 때 알림을 받고 싶으신가요?',
    'next.share': '다른 사람에게도 서명을 부탁하세요',
    'form.privacySign':
      '이메일 주소는 공개되거나 공유되지 않습니다. IP 주소는 저장하지 않습니다. 가짜 서명의 대량 유입을 막기 위해 네트워크의 키 해시만 {days}일 동안 보관한 뒤 삭제합니다.',
  },
  zh: {
    'site.description': '为身处危险的人们采取紧急行动：签署请愿、关注事件报告，有新情况时接收提醒。',
    'thanks.to': '邮件发送至：',
    'thanks.typo': '你是不是想输入这个地址？',
    'thanks.typoFix': '更正地址并重新签名',
    'thanks.open': '请打开邮件中的链接确认签名。签名确认后才会计入。',
    'thanks.noEmail': '没有收到邮件？',
    'thanks.spam': '请稍等几分钟，然后查看垃圾邮件文件夹。',
    'thanks.checkAddress': '请核对上面的地址：如有拼写错误，请用正确的地址重新签名。',
    'thanks.checkAddressUnknown': '请确认你输入的地址正确；如有错误，请用正确的地址重新签名。',
    'thanks.againIn': '如需重新发送邮件，请在 {minutes} 分钟后用同一地址再次签名。',
    'thanks.againNow': '如需重新发送邮件，请用同一地址再次签名。',
    'next.title': '接下来会怎样',
    'next.confirm': '请用邮件中的链接确认你的签名。',
    'next.counts': '确认后的签名会计入活动页面上的签名人数。只有你选择公开时，才会显示你的姓名。',
    'next.deliveryOn':
      '活动于{date}结束时，我们会把请愿书连同每位已确认签名者的姓名、国家或地区和留言一起递交给{target}。你的电子邮件地址绝不会被转交。',
    'next.delivery':
      '活动结束时，我们会把请愿书连同每位已确认签名者的姓名、国家或地区和留言一起递交给{target}。你的电子邮件地址绝不会被转交。',
    'next.alertsStarted': '此事件有新报告发布时，我们会给你发邮件。每封提醒邮件都有更改或停止提醒的链接。',
    'next.alertsAsked': '确认签名后，此事件有新报告发布时，我们会给你发邮件。每封提醒邮件都有更改或停止提醒的链接。',
    'next.alertsOffer': '想在此事件有新情况时收到通知吗？',
    'next.share': '请其他人也来签名',
    'form.privacySign':
      '你的电子邮件地址不会被显示或分享。我们不保存你的 IP 地址，只保存你所在网络的密钥哈希值 {days} 天，用于阻止大量虚假签名，之后删除。',
  },
})
