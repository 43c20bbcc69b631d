from . import SCHEMA_FILE, build_schema
import json
SCHEMA_FILE.write_text(json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
print(f"wrote {SCHEMA_FILE}")
