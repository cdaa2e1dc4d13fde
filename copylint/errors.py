"""The one error hierarchy: only the CLI catches these and turns them into exit code 2."""


class CopylintError(Exception):
    """Root of every error copylint reports to the user as a one-line message."""


class ConfigError(CopylintError):
    """A configuration file is malformed or names something unknown."""


class RuleFileError(CopylintError):
    """A rule data file under rules/ (or a configured rule directory) is invalid."""


class InputError(CopylintError):
    """A file to check cannot be read or parsed."""


class UsageError(CopylintError):
    """The command line asks for something that does not exist or cannot be combined."""
