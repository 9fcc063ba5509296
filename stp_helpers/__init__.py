"""stp_helpers: the logic behind the stp-workbook notebooks.

Notebooks stay thin: each code cell is usually one call into this package.
Modules are organised by method (``cld``, ``sd``, ``ssm``, ``vsm`` …); see
``catalogue`` for the notebooks and the duties of the standard they serve.
"""

from stp_helpers.errors import StpError

__all__ = ["StpError", "__version__"]
__version__ = "0.1.0"
