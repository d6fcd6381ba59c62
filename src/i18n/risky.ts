import { area } from './area.ts'

// Console actions that are hard to take back ask first, on a page of their own that says what
// will happen; and an invalidation's history says in words what was invalidated.
export const riskyMessages = area({
  en: {
    'console.ask.back': 'No, go back',
    'console.ask.closeTitle': 'Close this campaign?',
    'console.ask.closeBody':
      '“{title}” stops taking signatures at once. Its {count} confirmed signatures stay. You can reopen it later.',
    'console.ask.closeYes': 'Yes, close the campaign',
    'console.ask.cancelTitle': 'Cancel this alert?',
    'console.ask.cancelBody':
      'The {queued} emails not sent yet will never be sent ({sent} are sent already). This cannot be undone.',
    'console.ask.cancelYes': 'Yes, cancel the alert',
    'console.ask.disableTitle': 'Disable this account?',
    'console.ask.disableBody':
      '{name} ({email}) is logged out at once and their API tokens stop working for good. You can enable the account again later; the tokens stay revoked.',
    'console.ask.disableYes': 'Yes, disable the account',
    'console.ask.invalidateTitle': 'Invalidate these signatures?',
    'console.ask.invalidateBody':
      '{total} signatures match: {confirmed} confirmed and {pending} pending. They stop counting at once. You can restore them from the campaign page.',
    'console.ask.which': 'Signatures with',
    'console.ask.sampleSome': 'The latest {shown} of them, as the signatures table shows them:',
    'console.ask.sampleAll': 'All of them, as the signatures table shows them:',
    'console.ask.invalidateYes': 'Yes, invalidate {total} signatures',
    'console.col.number': 'No.',
    'console.invalidate.what': 'What was invalidated',
    'console.invalidate.sameIpAsWords': 'the same network as signature No. {id}',
    'console.invalidate.emailDomainWords': 'an address at {domain}',
    'console.invalidate.fromWords': 'signed from {at} (UTC)',
    'console.invalidate.toWords': 'signed before {at} (UTC)',
    'console.invalidate.and': '; ',
  },
  ko: {
    'console.ask.back': '아니요, 돌아가기',
    'console.ask.closeTitle': '이 캠페인을 마감할까요?',
    'console.ask.closeBody':
      '“{title}” 캠페인은 즉시 서명을 더 받지 않습니다. 확인된 서명 {count}개는 그대로 남습니다. 나중에 다시 열 수 있습니다.',
    'console.ask.closeYes': '예, 캠페인을 마감합니다',
    'console.ask.cancelTitle': '이 알림을 취소할까요?',
    'console.ask.cancelBody':
      '아직 보내지 않은 이메일 {queued}통은 영영 보내지 않습니다(이미 {sent}통을 보냈습니다). 되돌릴 수 없습니다.',
    'console.ask.cancelYes': '예, 알림을 취소합니다',
    'console.ask.disableTitle': '이 계정을 비활성화할까요?',
    'console.ask.disableBody':
      '{name}({email}) 님은 즉시 로그아웃되고 API 토큰은 영구히 쓸 수 없게 됩니다. 나중에 계정을 다시 활성화할 수 있지만 토큰은 폐기된 채로 남습니다.',
    'console.ask.disableYes': '예, 계정을 비활성화합니다',
    'console.ask.invalidateTitle': '이 서명들을 무효 처리할까요?',
    'console.ask.invalidateBody':
      '{total}개의 서명이 해당합니다. 확인된 서명 {confirmed}개, 대기 중 {pending}개. 즉시 집계에서 빠집니다. 캠페인 페이지에서 되돌릴 수 있습니다.',
    'console.ask.which': '대상',
    'console.ask.sampleSome': '그중 최근 {shown}개 (서명 표와 같은 형태):',
    'console.ask.sampleAll': '해당하는 서명 전체 (서명 표와 같은 형태):',
    'console.ask.invalidateYes': '예, 서명 {total}개를 무효 처리합니다',
    'console.col.number': '번호',
    'console.invalidate.what': '무효 처리한 서명',
    'console.invalidate.sameIpAsWords': '{id}번 서명과 같은 네트워크',
    'console.invalidate.emailDomainWords': '{domain} 주소',
    'console.invalidate.fromWords': '{at}(UTC) 이후 서명',
    'console.invalidate.toWords': '{at}(UTC) 이전 서명',
    'console.invalidate.and': ', ',
  },
  zh: {
    'console.ask.back': '不，返回',
    'console.ask.closeTitle': '要结束这个活动吗？',
    'console.ask.closeBody': '“{title}”将立即停止接受签名。已确认的 {count} 个签名会保留。你以后可以重新开放它。',
    'console.ask.closeYes': '是的，结束活动',
    'console.ask.cancelTitle': '要取消这条提醒吗？',
    'console.ask.cancelBody': '尚未发送的 {queued} 封邮件将永远不会发送（已发送 {sent} 封）。此操作无法撤销。',
    'console.ask.cancelYes': '是的，取消提醒',
    'console.ask.disableTitle': '要停用这个账户吗？',
    'console.ask.disableBody':
      '{name}（{email}）将立即被登出，其 API 令牌将永久失效。你以后可以重新启用该账户，但令牌仍保持吊销。',
    'console.ask.disableYes': '是的，停用账户',
    'console.ask.invalidateTitle': '要将这些签名作废吗？',
    'console.ask.invalidateBody':
      '共有 {total} 个签名符合：{confirmed} 个已确认，{pending} 个待确认。它们将立即不再计数。你可以在活动页面恢复它们。',
    'console.ask.which': '对象',
    'console.ask.sampleSome': '其中最新的 {shown} 个（与签名表中显示的一样）：',
    'console.ask.sampleAll': '全部符合的签名（与签名表中显示的一样）：',
    'console.ask.invalidateYes': '是的，作废 {total} 个签名',
    'console.col.number': '编号',
    'console.invalidate.what': '作废了哪些签名',
    'console.invalidate.sameIpAsWords': '与第 {id} 号签名来自同一网络',
    'console.invalidate.emailDomainWords': '地址属于 {domain}',
    'console.invalidate.fromWords': '签名时间不早于 {at}（UTC）',
    'console.invalidate.toWords': '签名时间早于 {at}（UTC）',
    'console.invalidate.and': '；',
  },
})
