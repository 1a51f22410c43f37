"""The app's configuration as the domain reads it.

Bound once by the factory (like the database proxy in vss.core.db), then read anywhere — in a
request, in a job, in a command — as `settings.OTP_LIFETIME_MINUTES`, so no key or config dict is
passed down through call chains. It holds no state of its own: the values are the app's config."""


class Settings:
    """Attribute access to the bound app's config; a missing name is an AttributeError."""

    def __init__(self):
        self.__dict__["_config"] = None

    def init_app(self, app):
        """Bind to `app.config` (the same mapping: a test that changes the config is seen at once)."""
        self.__dict__["_config"] = app.config

    def _bound(self):
        config = self.__dict__["_config"]
        if config is None:
            raise RuntimeError("settings are bound by create_app(); none was created")
        return config

    def __getattr__(self, name):
        try:
            return self._bound()[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name, value):
        raise AttributeError("settings are read-only: change the app's config instead")

    def get(self, name, default=None):
        """A setting that may be absent."""
        return self._bound().get(name, default)


settings = Settings()
