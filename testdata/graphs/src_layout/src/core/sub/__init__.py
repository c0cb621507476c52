from .. import io
