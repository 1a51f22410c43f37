"""One-time codes: purpose- and flow-bound, HMAC only, with attempt counters."""

from peewee import CharField, DateTimeField, IntegerField, Model


def _model(db):
    class OneTimeCode(Model):
        purpose = CharField(max_length=24)
        context = CharField(max_length=64)
        target = CharField(max_length=254)
        code_hmac = CharField(max_length=64)
        created_at = DateTimeField()
        expires_at = DateTimeField()
        attempts = IntegerField(default=0)
        used_at = DateTimeField(null=True)

        class Meta:
            database = db
            legacy_table_names = False
            indexes = ((("purpose", "context", "expires_at"), False), (("target", "created_at"), False))

    return OneTimeCode


def up(migrator, db):
    db.create_tables([_model(db)])


def down(migrator, db):
    db.drop_tables([_model(db)])
