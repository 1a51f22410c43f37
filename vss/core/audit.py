"""The audit log: who did what to which object, when, from where."""

from peewee import CharField, DateTimeField, IntegerField, TextField

from vss.core.clock import utcnow
from vss.core.db import BaseModel, JSONField


class AuditLog(BaseModel):
    """One row per action that matters (every staff action, every credential change)."""

    created_at = DateTimeField(default=utcnow, index=True)
    actor_kind = CharField(max_length=8)  # staff / citizen / kiosk / system
    actor_id = IntegerField(null=True)
    actor_label = TextField(default="")
    action = CharField(max_length=64)
    object_kind = CharField(max_length=32, default="")
    object_id = CharField(max_length=64, default="")
    detail = JSONField(null=True)
    ip = CharField(max_length=45, default="")

    class Meta:
        indexes = ((("object_kind", "object_id", "created_at"), False),)


def record(
    action,
    *,
    actor_kind="system",
    actor_id=None,
    actor_label="",
    obj=None,
    object_kind="",
    object_id="",
    detail=None,
    ip="",
):
    """Write an audit row (inside the caller's transaction)."""
    if obj is not None:
        object_kind = object_kind or type(obj).__name__
        object_id = object_id or str(obj.get_id())
    return AuditLog.create(
        actor_kind=actor_kind,
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        object_kind=object_kind,
        object_id=str(object_id),
        detail=detail,
        ip=ip or "",
    )


def history(object_kind, object_id):
    """Audit rows of one object, oldest first."""
    return (
        AuditLog.select()
        .where((AuditLog.object_kind == object_kind) & (AuditLog.object_id == str(object_id)))
        .order_by(AuditLog.created_at, AuditLog.id)
    )


MODELS = [AuditLog]
