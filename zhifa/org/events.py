"""Ledger event kinds of this app (see zhifa/ledger/events.py and docs/ledger.md)."""

from zhifa.ledger.events import declare

declare("org.agency.created", "新增执法主体", "name uscc region_code level parent")
declare("org.agency.updated", "修改执法主体", "changes")
declare("org.department.created", "新增内设机构", "agency name function")
declare("org.person.created", "新增人员", "username full_name agency roles id_number phone")
declare("org.person.updated", "修改人员信息", "changes")
declare("org.credential.issued", "登记执法证件", "number person kind scope status valid_from valid_until")
declare("org.credential.status_changed", "变更证件状态", "number changes")
declare("org.api_token.issued", "签发接口令牌", "person label digest expires_at revoked_at username")
declare("org.api_token.revoked", "吊销接口令牌", "changes")
declare("org.person.login_unlocked", "解除登录锁定", "username failures")
declare("org.person.password_changed", "本人修改密码", "username")
declare("org.person.two_factor_enrolled", "绑定两步验证", "username")
declare("org.person.recovery_code_used", "使用两步验证恢复码", "username left")
declare("org.person.recovery_codes_renewed", "重新生成恢复码", "username")
declare("org.person.two_factor_reset", "重置两步验证", "username")
