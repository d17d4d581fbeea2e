#!/usr/bin/env python3
"""Checks the OpenAPI document that smart-ipamd serves: a valid OpenAPI 3.1 document, and every
example (of a schema, a media type or a parameter) valid against its own schema.

Usage: check-openapi.py FILE   (the JSON document; `-` for standard input)
Exit 0 when everything holds; 1 with one line per problem otherwise.
"""
import json
import sys

from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012


def main() -> int:
    source = sys.stdin if sys.argv[1:] == ["-"] else open(sys.argv[1], encoding="utf-8")
    doc = json.load(source)
    validate(doc)
    registry = Registry().with_resource("urn:oas", Resource.from_contents(doc, default_specification=DRAFT202012))

    def check(schema, value, where):
        # Local references point into the whole document.
        text = json.dumps(schema).replace('"#/components/', '"urn:oas#/components/')
        validator = Draft202012Validator(json.loads(text), registry=registry)
        return [f"{where}: {e.message}" for e in validator.iter_errors(value)]

    problems, count = [], 0
    for name, schema in doc["components"]["schemas"].items():
        for i, example in enumerate(schema.get("examples", [])):
            count += 1
            problems += check({"$ref": f"#/components/schemas/{name}"}, example, f"components.schemas.{name}.examples[{i}]")
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            media = [("requestBody", operation.get("requestBody", {}).get("content", {}))]
            media += [(f"responses.{code}", r.get("content", {})) for code, r in operation["responses"].items()]
            for where, content in media:
                for kind, body in content.items():
                    for key, example in body.get("examples", {}).items():
                        count += 1
                        problems += check(body["schema"], example["value"], f"{method.upper()} {path} {where} {kind} examples.{key}")
    for problem in problems:
        print(problem)
    print(f"openapi: {len(doc['paths'])} paths, {count} examples checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
