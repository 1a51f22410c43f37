"""Tin tức: news posts written by editors (the `editor` staff role needs no schema change: a
role is a short text), with a picture in the row and a video as a file under MEDIA_PATH."""

import datetime

from peewee import BlobField, CharField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField


def _models(db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class StaffUser(Base):
        username = CharField()

    class NewsPost(Base):
        title = TextField()
        summary = TextField(default="")
        body = TextField(default="")
        body_html = TextField(default="")
        status = CharField(max_length=10, default="draft")
        published_at = DateTimeField(null=True)
        created_at = DateTimeField(default=datetime.datetime.now)
        updated_at = DateTimeField(default=datetime.datetime.now)
        version = IntegerField(default=1)
        author = ForeignKeyField(StaffUser, on_delete="RESTRICT", index=False)
        image = BlobField(null=True)
        image_name = CharField(max_length=40, null=True, index=True)
        image_width = IntegerField(null=True)
        image_height = IntegerField(null=True)
        image_alt = TextField(default="")
        video_name = CharField(max_length=64, null=True, unique=True)
        video_type = CharField(max_length=16, null=True)
        video_bytes = IntegerField(null=True)
        video_seconds = IntegerField(null=True)

        class Meta:
            indexes = ((("status", "published_at"), False),)

    return [NewsPost]


def up(migrator, db):
    db.create_tables(_models(db))


def down(migrator, db):
    db.drop_tables(_models(db))
