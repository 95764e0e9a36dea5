"""What an audit action is called in the admin: `signage.playlist.publish` → 播放列表 · 发布."""

from __future__ import annotations

SUBJECTS = {
    "user": "用户",
    "node": "大厅节点",
    "notice": "通知公告",
    "review": "审核",
    "item": "事项",
    "catalog": "目录",
    "region": "区域",
    "broadcast": "广播",
    "signage.screen": "屏幕",
    "signage.group": "屏幕分组",
    "signage.playlist": "播放列表",
    "signage.entry": "播放条目",
    "signage.media": "文件",
    "signage.web_origin": "网页白名单",
    "signage.schedule": "排期",
    "signage.emergency": "紧急通知",
    "sync": "目录同步",
    "question": "群众咨询",
    "application": "依申请公开",
    "holidays": "工作日历",
}
VERBS = {
    "apply": "采用",
    "create": "新建",
    "add": "添加",
    "save": "保存",
    "update": "修改",
    "remove": "删除",
    "delete": "删除",
    "login": "登录",
    "revoke": "吊销",
    "withdraw": "撤下",
    "submit": "提交审核",
    "approve": "批准",
    "reject": "退回",
    "publish": "发布",
    "supersede": "修改后重新送审",
    "claim": "配对",
    "unpair": "解除配对",
    "post": "发布",
    "clear": "撤下",
    "upload": "上传",
    "retire": "停用",
    "restore": "恢复启用",
    "enable": "启用或停用",
    "move": "调整顺序",
    "download": "下载音频",
    "play_now": "立即播放",
    "default": "设为默认播放",
    "attract": "设为待机画面",
    "import": "导入",
    "password": "修改密码",
    "unlock": "解除登录锁定",
    "export": "导出",
    "phone_view": "查看完整电话",
    "id_view": "查看完整证件号码",
    "extend": "延期",
    "correction": "要求补正",
    "resume": "收到补正",
    "reply": "答复",
}


def action_label(action: str) -> str | None:
    """The Chinese name of an audit action, or None for one not named here yet."""
    subject, _, verb = action.rpartition(".")
    if subject in SUBJECTS and verb in VERBS:
        return f"{SUBJECTS[subject]} · {VERBS[verb]}"
    return None
