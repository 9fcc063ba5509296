"""stp_helpers: the logic behind the stp-workbook notebooks.

Notebooks stay thin: each code cell is usually one call into this package.
Modules are organised by method (``cld``, ``sd``, ``ssm``, ``vsm`` …); see
``catalogue`` for the notebooks and the duties of the standard they serve.
"""

import os
import sys

from stp_helpers.errors import StpError

__all__ = ["LIGHT_KERNEL_ENV", "StpError", "__version__"]
__version__ = "0.1.0"

#: ``stp serve`` sets this to "1" for its kernels.  pandas is then imported with
#: pyarrow hidden, so it keeps strings in Python objects and does not load pyarrow
#: (about 35 MB per kernel); pyarrow is loaded later only where it is used (Parquet).
#: It acts only when the notebook imports the workbook before pandas (they all do).
LIGHT_KERNEL_ENV = "STP_LIGHT_KERNEL"
if os.environ.get(LIGHT_KERNEL_ENV) == "1" and "pandas" not in sys.modules and "pyarrow" not in sys.modules:
    sys.modules["pyarrow"] = None  # type: ignore[assignment]  (pandas' import-time check finds no pyarrow)
    try:
        import pandas  # noqa: F401  heavy, but this kernel imports it anyway: it must come with pyarrow hidden
    finally:
        del sys.modules["pyarrow"]
