//! CSV import (see `import_csv`).
