/// The OpenAPI 3.1 document of the whole API, served at `/api/v1/openapi.json`.
///
/// It is kept here, by hand, beside the routes. `OpenAPITests` checks that it lists every route
/// of ``RouteTable`` with the role it needs, that it is a valid OpenAPI 3.1 document, and that
/// every example validates against its schema; `make test` runs schemathesis against the live
/// server with it.
public enum OpenAPIDocument {
    public static let json = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "Smart IPAM API",
    "version": "1",
    "description": "The IP address management API of smart-ipamd: subnets, allocation, addresses, leases, reservations, conflicts, audit and discovery under /api/v1, and the OpenStack-Neutron-style /fixed_ips API. Every route but login, health and this document needs `Authorization: Bearer <token>` (smart-ipam token create, or POST /api/v1/auth/login). Roles: read-only reads; operator also allocates, releases, reserves, scans and uses /fixed_ips; admin also manages subnets. Errors are {\"error\": {\"code\", \"message\", \"field\"}}."
  },
  "servers": [
    {
      "url": "http://127.0.0.1:8080"
    }
  ],
  "security": [
    {
      "bearer": []
    }
  ],
  "paths": {
    "/api/v1/auth/login": {
      "post": {
        "summary": "Log in: a user name and password for a bearer token",
        "operationId": "post_auth_login",
        "tags": [
          "auth"
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Token"
                }
              }
            }
          },
          "401": {
            "description": "Wrong user name or password",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "Body too large",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "429": {
            "description": "Too many failed logins: wait for Retry-After seconds",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            },
            "headers": {
              "Retry-After": {
                "schema": {
                  "type": "integer"
                },
                "description": "Seconds to wait"
              }
            }
          },
          "400": {
            "description": "Invalid input: the message and field say what",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "405": {
            "description": "The path does not answer this method (the Allow header lists those it does)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "default": {
            "description": "Any other failure, in the same shape",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        },
        "security": [],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/LoginRequest"
              }
            }
          }
        }
      }
    },
    "/api/v1/health": {
      "get": {
        "summary": "Liveness: the daemon answers and its database is readable",
        "operationId": "get_health",
        "tags": [
          "system"
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Health"
                }
              }
            }
          },
          "400": {
            "description": "Invalid input: the message and field say what",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "405": {
            "description": "The path does not answer this method (the Allow header lists those it does)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "default": {
            "description": "Any other failure, in the same shape",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        },
        "security": []
      }
    },
    "/api/v1/openapi.json": {
      "get": {
        "summary": "This document",
        "operationId": "get_openapi_json",
        "tags": [
          "system"
        ],
        "security": [],
        "responses": {
          "200": {
            "description": "The OpenAPI document",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          }
        }
      }
    },
    "/api/v1/subnets": {
      "get": {
        "summary": "List subnets with their utilization",
        "operationId": "get_subnets",
        "tags": [
          "subnets"
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/SubnetList"
                }
              }
            }
          },
          "400": {
            "description": "Invalid input: the message and field say what",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "No valid bearer token",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "The token's role does not allow this",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "405": {
            "description": "The path does not answer this method (the Allow header lists those it does)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "default": {
            "description": "Any other failure, in the same shape",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        },
        "x-smart-ipam-role": "read-only",
        "parameters": [
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 1000
            },
            "description": "At most this many (default 100)"
          },
          {
            "name": "offset",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 0
            },
            "description": "Skip this many"
          },
          {
            "name": "family",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "enum": [
                4,
                6
              ]
            },
            "description": "Only IPv4 or IPv6"
          },
          {
            "name": "network",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "Only this network (CIDR)"
          }
        ]
      },
      "post": {
        "summary": "Create a subnet (placed in the hierarchy by containment)",
        "operationId": "post_subnets",
        "tags": [
          "subnets"
        ],
        "responses": {
          "201": {
            "description": "Created",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Subnet"
                }
              }
            }
          },
          "404": {
            "description": "Not found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "The subnet exists or overlaps",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "Body too large",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "400": {
            "description": "Invalid input: the message and field say what",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "No valid bearer token",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "The token's role does not allow this",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "405": {
            "description": "The path does not answer this method (the Allow header lists those it does)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "default": {
            "description": "Any other failure, in the same shape",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        },
        "x-smart-ipam-role": "admin",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/SubnetCreate"
              }
            }
          }
        }
      }
    },
    "/api/v1/subnets/{id}": {
      "get": {
        "summary": "One subnet with its parent, children and usage",
        "operationId": "get_subnets_id",
        "tags": [
          "subnets"
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Subnet"
                }
              }
            }
          },
          "404": {
            "description": "No such subnet",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "400": {
            "description": "Invalid input: the message and field say what",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "No valid bearer token",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "The token's role does not allow this",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "405": {
            "description": "The path does not answer this method (the Allow header lists those it does)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "default": {
            "description": "Any other failure, in the same shape",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        },
        "x-smart-ipam-role": "read-only",
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "minimum": 1
            },
            "description": "The subnet's id"
          }
        ]
      },
      "patch": {
        "summary": "Change a subnet's facts; a field set to null is cleared",
        "operationId": "patch_subnets_id",
        "tags": [
          "subnets"
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Subnet"
                }
              }
            }
          },
          "404": {
            "description": "No such subnet",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "Conflict",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "Body too large",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "400": {
            "description": "Invalid input: the message and field say what",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "No valid bearer token",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "The token's role does not allow this",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "405": {
            "description": "The path does not answer this method (the Allow header lists those it does)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "default": {
            "description": "Any other failure, in the same shape",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        },
        "x-smart-ipam-role": "admin",
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "minimum": 1
            },
            "description": "The subnet's id"
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/SubnetPatch"
              }
            }
          }
        }
      },
      "delete": {
        "summary": "Remove a subnet; its children move up to its parent",
        "operationId": "delete_subnets_id",
        "tags": [
          "subnets"
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Subnet"
                }
              }
            }
          },
          "404": {
            "description": "No such subnet",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "Addresses are still in use (force=true releases them)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "400": {
            "description": "Invalid input: the message and field say what",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "No valid bearer token",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "The token's role does not allow this",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "405": {
            "description": "The path does not answer this method (the Allow header lists those it does)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "default": {
            "description": "Any other failure, in the same shape",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        },
        "x-smart-ipam-role": "admin",
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "minimum": 1
            },
            "description": "The subnet's id"
          },
          {
            "name": "force",
            "in": "query",
            "required": false,
            "schema": {
              "type": "boolean"
            },
            "description": "Release its addresses and remove it anyway"
          }
        ]
      }
    },
    "/api/v1/subnets/{id}/usage": {
      "get": {
        "summary": "Utilization: size, used, free, percent, by state and by pool",
        "operationId": "get_subnets_id_usage",
        "tags": [
          "subnets"
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Usage"
                }
              }
            }
          },
          "404": {
            "description": "No such subnet",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "400": {
            "description": "Invalid input: the message and field say what",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "No valid bearer token",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "The token's role does not allow this",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "405": {
            "description": "The path does not answer this method (the Allow header lists those it does)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "default": {
            "description": "Any other failure, in the same shape",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        },
        "x-smart-ipam-role": "read-only",
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "minimum": 1
            },
            "description": "The subnet's id"
          }
        ]
      }
    },
    "/api/v1/subnets/{id}/available": {
      "get": {
        "summary": "The next free addresses, without taking them",
        "operationId": "get_subnets_id_available",
        "tags": [
          "subnets"
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Available"
                }
              }
            }
          },
          "404": {
            "description": "No such subnet",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "400": {
            "description": "Invalid input: the message and field say what",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "No valid bearer token",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "The token's role does not allow this",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "405": {
            "description": "The path does not answer this method (the Allow header lists those it does)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "default": {
            "description": "Any other failure, in the same shape",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        },
        "x-smart-ipam-role": "read-only",
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "minimum": 1
            },
            "description": "The subnet's id"
          },
          {
            "name": "count",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 1000
            },
            "description": "How many (default 10)"
          }
        ]
      }
    },
    "/api/v1/allocate": {
      "post": {
        "summary": "Allocate addresses in a subnet (atomic; count for several)",
        "operationId": "post_allocate",
        "tags": [
          "addresses"
        ],
        "responses": {
          "201": {
            "description": "Allocated",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AddressList"
                }
              }
            }
          },
          "404": {
            "description": "No such subnet",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "The address is taken, or the subnet is full",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "Body too large",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "400": {
            "description": "Invalid input: the message and field say what",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "No valid bearer token",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "The token's role does not allow this",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "405": {
            "description": "The path does not answer this method (the Allow header lists those it does)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "default": {
            "description": "Any other failure, in the same shape",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        },
        "x-smart-ipam-role": "operator",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/AllocateRequest"
              }
            }
          }
        }
      }
    },
    "/api/v1/deallocate/{ip}": {
      "delete": {
        "summary": "Release an allocated or reserved address",
        "operationId": "delete_deallocate_ip",
        "tags": [
          "addresses"
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Address"
                }
              }
            }
          },
          "404": {
            "description": "Not allocated",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "400": {
            "description": "Invalid input: the message and field say what",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "No valid bearer token",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "The token's role does not allow this",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "405": {
            "description": "The path does not answer this method (the Allow header lists those it does)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "default": {
            "description": "Any other failure, in the same shape",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        },
        "x-smart-ipam-role": "operator",
        "parameters": [
          {
            "name": "ip",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "An address"
          }
        ]
      }
    },
    "/api/v1/addresses": {
      "get": {
        "summary": "Addresses of the inventory",
        "operationId": "get_addresses",
        "tags": [
          "addresses"
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AddressList"
                }
              }
            }
          },
          "404": {
            "description": "No such subnet",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "400": {
            "description": "Invalid input: the message and field say what",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "No valid bearer token",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "The token's role does not allow this",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "405": {
            "description": "The path does not answer this method (the Allow header lists those it does)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "default": {
            "description": "Any other failure, in the same shape",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        },
        "x-smart-ipam-role": "read-only",
        "parameters": [
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 1000
            },
            "description": "At most this many (default 100)"
          },
          {
            "name": "offset",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 0
            },
            "description": "Skip this many"
          },
          {
            "name": "subnet",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "Inside this network (CIDR)"
          },
          {
            "name": "subnet_id",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer"
            },
            "description": "Inside this subnet"
          },
          {
            "name": "state",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string",
              "enum": [
                "allocated",
                "reserved",
                "leased",
                "abandoned",
                "free"
              ]
            },
            "description": "In this state"
          },
          {
            "name": "hostname",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "With this hostname"
          },
          {
            "name": "mac",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "With this MAC"
          }
        ]
      }
    },
    "/api/v1/addresses/{ip}": {
      "get": {
        "summary": "One address with its change history and leases",
        "operationId": "get_addresses_ip",
        "tags": [
          "addresses"
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AddressDetail"
                }
              }
            }
          },
          "404": {
            "description": "Not in the inventory",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "400": {
            "description": "Invalid input: the message and field say what",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "No valid bearer token",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "The token's role does not allow this",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "405": {
            "description": "The path does not answer this method (the Allow header lists those it does)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "default": {
            "description": "Any other failure, in the same shape",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        },
        "x-smart-ipam-role": "read-only",
        "parameters": [
          {
            "name": "ip",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "An address"
          }
        ]
      }
    },
    "/api/v1/leases": {
      "get": {
        "summary": "Current dhcpd leases, or the lease history of one address",
        "operationId": "get_leases",
        "tags": [
          "leases"
        ],
        "responses": {
          "200": {
            "description": "Current leases (addresses), or with address= the records dhcpd wrote for it",
            "content": {
              "application/json": {
                "schema": {
                  "oneOf": [
                    {
                      "$ref": "#/components/schemas/AddressList"
                    },
                    {
                      "$ref": "#/components/schemas/LeaseHistory"
                    }
                  ]
                }
              }
            }
          },
          "400": {
            "description": "Invalid input: the message and field say what",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "No valid bearer token",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "The token's role does not allow this",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "405": {
            "description": "The path does not answer this method (the Allow header lists those it does)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "default": {
            "description": "Any other failure, in the same shape",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        },
        "x-smart-ipam-role": "read-only",
        "parameters": [
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 1000
            },
            "description": "At most this many (default 100)"
          },
          {
            "name": "offset",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 0
            },
            "description": "Skip this many"
          },
          {
            "name": "address",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "The history of this address"
          },
          {
            "name": "subnet",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "Inside this network (CIDR)"
          },
          {
            "name": "mac",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "This client's"
          },
          {
            "name": "hostname",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "With this client hostname"
          }
        ]
      }
    },
    "/api/v1/reservations": {
      "get": {
        "summary": "Reserved addresses",
        "operationId": "get_reservations",
        "tags": [
          "reservations"
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AddressList"
                }
              }
            }
          },
          "400": {
            "description": "Invalid input: the message and field say what",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "No valid bearer token",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "The token's role does not allow this",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "405": {
            "description": "The path does not answer this method (the Allow header lists those it does)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "default": {
            "description": "Any other failure, in the same shape",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        },
        "x-smart-ipam-role": "read-only",
        "parameters": [
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 1000
            },
            "description": "At most this many (default 100)"
          },
          {
            "name": "offset",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 0
            },
            "description": "Skip this many"
          },
          {
            "name": "subnet",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "Inside this network (CIDR)"
          }
        ]
      },
      "post": {
        "summary": "Reserve an address for a host",
        "operationId": "post_reservations",
        "tags": [
          "reservations"
        ],
        "responses": {
          "201": {
            "description": "Reserved",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Address"
                }
              }
            }
          },
          "404": {
            "description": "No such subnet",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "The address is taken",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "Body too large",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "400": {
            "description": "Invalid input: the message and field say what",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "No valid bearer token",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "The token's role does not allow this",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "405": {
            "description": "The path does not answer this method (the Allow header lists those it does)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "default": {
            "description": "Any other failure, in the same shape",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        },
        "x-smart-ipam-role": "operator",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ReservationRequest"
              }
            }
          }
        }
      }
    },
    "/api/v1/reservations/{ip}": {
      "delete": {
        "summary": "Remove a reservation",
        "operationId": "delete_reservations_ip",
        "tags": [
          "reservations"
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Address"
                }
              }
            }
          },
          "404": {
            "description": "Not reserved",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "400": {
            "description": "Invalid input: the message and field say what",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "No valid bearer token",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "The token's role does not allow this",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "405": {
            "description": "The path does not answer this method (the Allow header lists those it does)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "default": {
            "description": "Any other failure, in the same shape",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        },
        "x-smart-ipam-role": "operator",
        "parameters": [
          {
            "name": "ip",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "An address"
          }
        ]
      }
    },
    "/api/v1/conflicts": {
      "get": {
        "summary": "Conflicts found in leases, reservations and DNS",
        "operationId": "get_conflicts",
        "tags": [
          "conflicts"
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ConflictList"
                }
              }
            }
          },
          "400": {
            "description": "Invalid input: the message and field say what",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "No valid bearer token",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "The token's role does not allow this",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "405": {
            "description": "The path does not answer this method (the Allow header lists those it does)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "default": {
            "description": "Any other failure, in the same shape",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        },
        "x-smart-ipam-role": "read-only",
        "parameters": [
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 1000
            },
            "description": "At most this many (default 100)"
          },
          {
            "name": "offset",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 0
            },
            "description": "Skip this many"
          },
          {
            "name": "all",
            "in": "query",
            "required": false,
            "schema": {
              "type": "boolean"
            },
            "description": "Include resolved ones"
          }
        ]
      }
    },
    "/api/v1/audit": {
      "get": {
        "summary": "The audit log, newest first",
        "operationId": "get_audit",
        "tags": [
          "audit"
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuditList"
                }
              }
            }
          },
          "400": {
            "description": "Invalid input: the message and field say what",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "No valid bearer token",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "The token's role does not allow this",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "405": {
            "description": "The path does not answer this method (the Allow header lists those it does)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "default": {
            "description": "Any other failure, in the same shape",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        },
        "x-smart-ipam-role": "read-only",
        "parameters": [
          {
            "name": "limit",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 1,
              "maximum": 1000
            },
            "description": "At most this many (default 100)"
          },
          {
            "name": "offset",
            "in": "query",
            "required": false,
            "schema": {
              "type": "integer",
              "minimum": 0
            },
            "description": "Skip this many"
          },
          {
            "name": "since",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "From this date (2026-11-01) or time (ISO 8601)"
          },
          {
            "name": "until",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "Up to this date or time"
          },
          {
            "name": "user",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "By this actor (api:alice, api-key:ci, cli:root)"
          },
          {
            "name": "action",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "This action, or a prefix ending in '.'"
          },
          {
            "name": "object",
            "in": "query",
            "required": false,
            "schema": {
              "type": "string"
            },
            "description": "About this address or subnet"
          }
        ]
      }
    },
    "/api/v1/scan": {
      "post": {
        "summary": "Discover what is on a subnet of the inventory (passive: leases, reservations, the neighbour table)",
        "operationId": "post_scan",
        "tags": [
          "discovery"
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ScanResult"
                }
              }
            }
          },
          "404": {
            "description": "No such subnet in the inventory",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "Body too large",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "400": {
            "description": "Invalid input: the message and field say what",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "No valid bearer token",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "The token's role does not allow this",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "405": {
            "description": "The path does not answer this method (the Allow header lists those it does)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "default": {
            "description": "Any other failure, in the same shape",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        },
        "x-smart-ipam-role": "operator",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ScanRequest"
              }
            }
          }
        }
      }
    },
    "/fixed_ips": {
      "post": {
        "summary": "Neutron-style: allocate a fixed IP (the subnet is created on first use)",
        "operationId": "post_fixed_ips",
        "tags": [
          "neutron"
        ],
        "responses": {
          "201": {
            "description": "Allocated",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FixedIPOne"
                }
              }
            }
          },
          "404": {
            "description": "Not found",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "409": {
            "description": "The address is taken, or the subnet is full",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "Body too large",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "400": {
            "description": "Invalid input: the message and field say what",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "No valid bearer token",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "The token's role does not allow this",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "405": {
            "description": "The path does not answer this method (the Allow header lists those it does)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "default": {
            "description": "Any other failure, in the same shape",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        },
        "x-smart-ipam-role": "operator",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/FixedIPCreate"
              }
            }
          }
        }
      },
      "get": {
        "summary": "Neutron-style: a subnet's fixed IPs in address order",
        "operationId": "get_fixed_ips",
        "tags": [
          "neutron"
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FixedIPList"
                }
              }
            }
          },
          "404": {
            "description": "No such subnet",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "400": {
            "description": "Invalid input: the message and field say what",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "No valid bearer token",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "The token's role does not allow this",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "405": {
            "description": "The path does not answer this method (the Allow header lists those it does)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "default": {
            "description": "Any other failure, in the same shape",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        },
        "x-smart-ipam-role": "read-only",
        "parameters": [
          {
            "name": "subnet_id",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string"
            },
            "description": "Neutron's subnet id"
          }
        ]
      },
      "delete": {
        "summary": "Neutron-style: release a fixed IP",
        "operationId": "delete_fixed_ips",
        "tags": [
          "neutron"
        ],
        "responses": {
          "200": {
            "description": "OK",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/FixedIPOne"
                }
              }
            }
          },
          "404": {
            "description": "Not allocated",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "413": {
            "description": "Body too large",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "400": {
            "description": "Invalid input: the message and field say what",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "401": {
            "description": "No valid bearer token",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "403": {
            "description": "The token's role does not allow this",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "405": {
            "description": "The path does not answer this method (the Allow header lists those it does)",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          },
          "default": {
            "description": "Any other failure, in the same shape",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Error"
                }
              }
            }
          }
        },
        "x-smart-ipam-role": "operator",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/FixedIPDelete"
              }
            }
          }
        }
      }
    }
  },
  "components": {
    "securitySchemes": {
      "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "An API key or a login session: sipam_…"
      }
    },
    "schemas": {
      "Error": {
        "type": "object",
        "properties": {
          "error": {
            "type": "object",
            "properties": {
              "code": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "message": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "field": {
                "type": [
                  "string",
                  "null"
                ]
              }
            },
            "required": [
              "code",
              "message",
              "field"
            ],
            "additionalProperties": false
          }
        },
        "required": [
          "error"
        ],
        "additionalProperties": false,
        "examples": [
          {
            "error": {
              "code": "address_taken",
              "message": "192.168.100.101 is already in use",
              "field": "ip_address"
            }
          }
        ]
      },
      "Count": {
        "oneOf": [
          {
            "type": "integer",
            "minimum": 0
          },
          {
            "type": "string",
            "pattern": "^[0-9]+$"
          }
        ],
        "description": "An address count: an integer while it fits 64 bits, a decimal string beyond (IPv6)"
      },
      "Utilization": {
        "type": "object",
        "properties": {
          "size": {
            "$ref": "#/components/schemas/Count"
          },
          "used": {
            "$ref": "#/components/schemas/Count"
          },
          "free": {
            "$ref": "#/components/schemas/Count"
          },
          "percent": {
            "type": "number",
            "minimum": 0,
            "maximum": 100
          },
          "by_state": {
            "type": "object",
            "additionalProperties": {
              "$ref": "#/components/schemas/Count"
            }
          }
        },
        "required": [
          "size",
          "used",
          "free",
          "percent",
          "by_state"
        ],
        "additionalProperties": false
      },
      "PoolUsage": {
        "type": "object",
        "properties": {
          "range": {
            "type": [
              "string",
              "null"
            ]
          },
          "utilization": {
            "$ref": "#/components/schemas/Utilization"
          }
        },
        "required": [
          "range",
          "utilization"
        ],
        "additionalProperties": false
      },
      "Subnet": {
        "type": "object",
        "properties": {
          "id": {
            "type": [
              "integer",
              "null"
            ]
          },
          "network": {
            "type": [
              "string",
              "null"
            ],
            "description": "A network in CIDR notation",
            "examples": [
              "10.1.1.0/24"
            ]
          },
          "name": {
            "type": [
              "string",
              "null"
            ]
          },
          "description": {
            "type": [
              "string",
              "null"
            ]
          },
          "gateway": {
            "type": [
              "string",
              "null"
            ],
            "description": "An IPv4 or IPv6 address",
            "examples": [
              "10.1.1.10"
            ]
          },
          "pools": {
            "type": "array",
            "items": {
              "type": [
                "string",
                "null"
              ]
            }
          },
          "domain": {
            "type": [
              "string",
              "null"
            ]
          },
          "reverse_zone": {
            "type": [
              "string",
              "null"
            ]
          },
          "site": {
            "type": [
              "string",
              "null"
            ]
          },
          "policy": {
            "type": [
              "string",
              "null"
            ]
          },
          "host_range": {
            "type": [
              "string",
              "null"
            ]
          },
          "custom_fields": {
            "type": "object",
            "additionalProperties": {
              "type": [
                "string",
                "null"
              ]
            }
          },
          "source": {
            "type": "string",
            "enum": [
              "config",
              "dhcpd.conf",
              "api"
            ]
          },
          "external_id": {
            "type": [
              "string",
              "null"
            ]
          },
          "parent": {
            "type": [
              "string",
              "null"
            ],
            "description": "A network in CIDR notation",
            "examples": [
              "10.1.1.0/24"
            ]
          },
          "children": {
            "type": "array",
            "items": {
              "type": [
                "string",
                "null"
              ],
              "description": "A network in CIDR notation",
              "examples": [
                "10.1.1.0/24"
              ]
            }
          },
          "utilization": {
            "$ref": "#/components/schemas/Utilization"
          },
          "pool_usage": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/PoolUsage"
            }
          }
        },
        "required": [
          "id",
          "network",
          "name",
          "pools",
          "custom_fields",
          "source"
        ],
        "additionalProperties": false
      },
      "SubnetList": {
        "type": "object",
        "properties": {
          "subnets": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Subnet"
            }
          },
          "limit": {
            "type": [
              "integer",
              "null"
            ]
          },
          "offset": {
            "type": [
              "integer",
              "null"
            ]
          },
          "next_offset": {
            "type": [
              "integer",
              "null"
            ]
          }
        },
        "required": [
          "subnets",
          "limit",
          "offset"
        ],
        "additionalProperties": false
      },
      "PoolInput": {
        "oneOf": [
          {
            "type": "string",
            "examples": [
              "10.1.1.10-10.1.1.200"
            ]
          },
          {
            "type": "object",
            "properties": {
              "start": {
                "type": [
                  "string",
                  "null"
                ],
                "description": "An IPv4 or IPv6 address",
                "examples": [
                  "10.1.1.10"
                ]
              },
              "end": {
                "type": [
                  "string",
                  "null"
                ],
                "description": "An IPv4 or IPv6 address",
                "examples": [
                  "10.1.1.10"
                ]
              }
            },
            "required": [
              "start",
              "end"
            ],
            "additionalProperties": false
          }
        ]
      },
      "PolicyInput": {
        "type": "object",
        "properties": {
          "strategy": {
            "type": [
              "string",
              "null"
            ],
            "enum": [
              "next-free",
              "random",
              "random-any",
              "first-of-pool",
              null
            ]
          },
          "host_range": {
            "type": [
              "string",
              "null"
            ],
            "examples": [
              "10-200"
            ]
          }
        },
        "additionalProperties": false
      },
      "SubnetCreate": {
        "type": "object",
        "properties": {
          "network": {
            "type": [
              "string",
              "null"
            ],
            "description": "A network in CIDR notation",
            "examples": [
              "10.1.1.0/24"
            ]
          },
          "name": {
            "type": "string",
            "minLength": 1
          },
          "description": {
            "type": [
              "string",
              "null"
            ]
          },
          "gateway": {
            "type": [
              "string",
              "null"
            ],
            "description": "An IPv4 or IPv6 address",
            "examples": [
              "10.1.1.10"
            ]
          },
          "pools": {
            "type": [
              "array",
              "null"
            ],
            "items": {
              "$ref": "#/components/schemas/PoolInput"
            }
          },
          "domain": {
            "type": [
              "string",
              "null"
            ]
          },
          "reverse_zone": {
            "type": [
              "string",
              "null"
            ]
          },
          "site": {
            "type": [
              "string",
              "null"
            ]
          },
          "policy": {
            "anyOf": [
              {
                "$ref": "#/components/schemas/PolicyInput"
              },
              {
                "type": "null"
              }
            ]
          },
          "custom_fields": {
            "type": [
              "object",
              "null"
            ],
            "additionalProperties": {
              "type": [
                "string",
                "null"
              ]
            }
          }
        },
        "required": [
          "network",
          "name"
        ],
        "additionalProperties": false,
        "examples": [
          {
            "network": "192.168.1.0/24",
            "name": "Office Network",
            "description": "Main office subnet",
            "gateway": "192.168.1.1"
          }
        ]
      },
      "SubnetPatch": {
        "type": "object",
        "properties": {
          "name": {
            "type": "string",
            "minLength": 1
          },
          "description": {
            "type": [
              "string",
              "null"
            ]
          },
          "gateway": {
            "type": [
              "string",
              "null"
            ]
          },
          "pools": {
            "type": [
              "array",
              "null"
            ],
            "items": {
              "$ref": "#/components/schemas/PoolInput"
            }
          },
          "domain": {
            "type": [
              "string",
              "null"
            ]
          },
          "reverse_zone": {
            "type": [
              "string",
              "null"
            ]
          },
          "site": {
            "type": [
              "string",
              "null"
            ]
          },
          "policy": {
            "oneOf": [
              {
                "$ref": "#/components/schemas/PolicyInput"
              },
              {
                "type": "null"
              }
            ]
          },
          "custom_fields": {
            "type": [
              "object",
              "null"
            ],
            "additionalProperties": {
              "type": [
                "string",
                "null"
              ]
            }
          }
        },
        "additionalProperties": false,
        "examples": [
          {
            "description": "Main office, 2nd floor",
            "site": "NYC"
          }
        ]
      },
      "Usage": {
        "type": "object",
        "properties": {
          "subnet_id": {
            "type": [
              "integer",
              "null"
            ]
          },
          "network": {
            "type": [
              "string",
              "null"
            ],
            "description": "A network in CIDR notation",
            "examples": [
              "10.1.1.0/24"
            ]
          },
          "name": {
            "type": [
              "string",
              "null"
            ]
          },
          "utilization": {
            "$ref": "#/components/schemas/Utilization"
          },
          "pools": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/PoolUsage"
            }
          }
        },
        "required": [
          "network",
          "name",
          "utilization",
          "pools"
        ],
        "additionalProperties": false
      },
      "Available": {
        "type": "object",
        "properties": {
          "subnet_id": {
            "type": [
              "integer",
              "null"
            ]
          },
          "network": {
            "type": [
              "string",
              "null"
            ],
            "description": "A network in CIDR notation",
            "examples": [
              "10.1.1.0/24"
            ]
          },
          "available": {
            "type": "array",
            "items": {
              "type": [
                "string",
                "null"
              ],
              "description": "An IPv4 or IPv6 address",
              "examples": [
                "10.1.1.10"
              ]
            }
          }
        },
        "required": [
          "subnet_id",
          "network",
          "available"
        ],
        "additionalProperties": false,
        "examples": [
          {
            "subnet_id": 1,
            "network": "192.168.1.0/24",
            "available": [
              "192.168.1.3",
              "192.168.1.4"
            ]
          }
        ]
      },
      "AllocateRequest": {
        "type": "object",
        "properties": {
          "subnet": {
            "type": [
              "string",
              "null"
            ],
            "description": "A network in CIDR notation",
            "examples": [
              "10.1.1.0/24"
            ]
          },
          "subnet_id": {
            "type": [
              "integer",
              "null"
            ]
          },
          "hostname": {
            "type": [
              "string",
              "null"
            ]
          },
          "device_type": {
            "type": [
              "string",
              "null"
            ]
          },
          "owner": {
            "type": [
              "string",
              "null"
            ]
          },
          "mac": {
            "type": [
              "string",
              "null"
            ],
            "examples": [
              "3c:22:fb:01:02:03"
            ]
          },
          "description": {
            "type": [
              "string",
              "null"
            ]
          },
          "ip_address": {
            "type": [
              "string",
              "null"
            ],
            "description": "An IPv4 or IPv6 address",
            "examples": [
              "10.1.1.10"
            ]
          },
          "count": {
            "type": [
              "integer",
              "null"
            ],
            "minimum": 1,
            "maximum": 1024
          },
          "strategy": {
            "type": [
              "string",
              "null"
            ],
            "enum": [
              "next-free",
              "random",
              "random-any",
              "first-of-pool",
              "eui-64",
              null
            ]
          },
          "host_range": {
            "type": [
              "string",
              "null"
            ],
            "examples": [
              "10-200"
            ]
          },
          "reserve": {
            "type": [
              "boolean",
              "null"
            ]
          }
        },
        "additionalProperties": false,
        "examples": [
          {
            "subnet": "192.168.1.0/24",
            "hostname": "web-server-01",
            "device_type": "server",
            "owner": "IT Department"
          }
        ]
      },
      "Address": {
        "type": "object",
        "properties": {
          "ip_address": {
            "type": [
              "string",
              "null"
            ],
            "description": "An IPv4 or IPv6 address",
            "examples": [
              "10.1.1.10"
            ]
          },
          "state": {
            "type": "string",
            "enum": [
              "allocated",
              "reserved",
              "leased",
              "abandoned",
              "free"
            ]
          },
          "hostname": {
            "type": [
              "string",
              "null"
            ]
          },
          "owner": {
            "type": [
              "string",
              "null"
            ]
          },
          "mac": {
            "type": [
              "string",
              "null"
            ]
          },
          "duid": {
            "type": [
              "string",
              "null"
            ]
          },
          "device_type": {
            "type": [
              "string",
              "null"
            ]
          },
          "description": {
            "type": [
              "string",
              "null"
            ]
          },
          "source": {
            "type": [
              "string",
              "null"
            ]
          },
          "updated_at": {
            "type": "string",
            "format": "date-time"
          },
          "lease_ends": {
            "type": "string",
            "format": "date-time"
          },
          "lease_source": {
            "type": [
              "string",
              "null"
            ]
          },
          "prefix_length": {
            "type": [
              "integer",
              "null"
            ]
          }
        },
        "required": [
          "ip_address",
          "state",
          "source",
          "updated_at"
        ],
        "additionalProperties": false
      },
      "AddressList": {
        "type": "object",
        "properties": {
          "addresses": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Address"
            }
          },
          "limit": {
            "type": [
              "integer",
              "null"
            ]
          },
          "offset": {
            "type": [
              "integer",
              "null"
            ]
          },
          "next_offset": {
            "type": [
              "integer",
              "null"
            ]
          }
        },
        "required": [
          "addresses"
        ],
        "additionalProperties": false
      },
      "Audit": {
        "type": "object",
        "properties": {
          "id": {
            "type": [
              "integer",
              "null"
            ]
          },
          "at": {
            "type": "string",
            "format": "date-time"
          },
          "actor": {
            "type": [
              "string",
              "null"
            ]
          },
          "action": {
            "type": [
              "string",
              "null"
            ]
          },
          "object_type": {
            "type": [
              "string",
              "null"
            ]
          },
          "object": {
            "type": [
              "string",
              "null"
            ]
          },
          "before": {
            "type": [
              "string",
              "null"
            ]
          },
          "after": {
            "type": [
              "string",
              "null"
            ]
          }
        },
        "required": [
          "id",
          "at",
          "actor",
          "action",
          "object_type",
          "object"
        ],
        "additionalProperties": false
      },
      "AuditList": {
        "type": "object",
        "properties": {
          "entries": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Audit"
            }
          },
          "limit": {
            "type": [
              "integer",
              "null"
            ]
          },
          "offset": {
            "type": [
              "integer",
              "null"
            ]
          },
          "next_offset": {
            "type": [
              "integer",
              "null"
            ]
          }
        },
        "required": [
          "entries",
          "limit",
          "offset"
        ],
        "additionalProperties": false
      },
      "Lease": {
        "type": "object",
        "properties": {
          "ip_address": {
            "type": [
              "string",
              "null"
            ],
            "description": "An IPv4 or IPv6 address",
            "examples": [
              "10.1.1.10"
            ]
          },
          "prefix_length": {
            "type": [
              "integer",
              "null"
            ]
          },
          "kind": {
            "type": [
              "string",
              "null"
            ]
          },
          "state": {
            "type": [
              "string",
              "null"
            ]
          },
          "mac": {
            "type": [
              "string",
              "null"
            ]
          },
          "client_id": {
            "type": [
              "string",
              "null"
            ]
          },
          "iaid": {
            "type": [
              "integer",
              "null"
            ]
          },
          "hostname": {
            "type": [
              "string",
              "null"
            ]
          },
          "starts": {
            "type": "string",
            "format": "date-time"
          },
          "ends": {
            "type": "string",
            "format": "date-time"
          },
          "cltt": {
            "type": "string",
            "format": "date-time"
          },
          "file": {
            "type": [
              "string",
              "null"
            ]
          }
        },
        "required": [
          "ip_address",
          "kind",
          "state",
          "file"
        ],
        "additionalProperties": false
      },
      "LeaseHistory": {
        "type": "object",
        "properties": {
          "leases": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Lease"
            }
          }
        },
        "required": [
          "leases"
        ],
        "additionalProperties": false
      },
      "AddressDetail": {
        "type": "object",
        "properties": {
          "address": {
            "$ref": "#/components/schemas/Address"
          },
          "subnet": {
            "type": [
              "string",
              "null"
            ],
            "description": "A network in CIDR notation",
            "examples": [
              "10.1.1.0/24"
            ]
          },
          "history": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Audit"
            }
          },
          "leases": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Lease"
            }
          }
        },
        "required": [
          "address",
          "history"
        ],
        "additionalProperties": false
      },
      "Conflict": {
        "type": "object",
        "properties": {
          "id": {
            "type": [
              "integer",
              "null"
            ]
          },
          "kind": {
            "type": [
              "string",
              "null"
            ]
          },
          "severity": {
            "type": "string",
            "enum": [
              "info",
              "warning",
              "critical"
            ]
          },
          "addresses": {
            "type": "array",
            "items": {
              "type": [
                "string",
                "null"
              ]
            }
          },
          "detail": {
            "type": [
              "string",
              "null"
            ]
          },
          "first_seen": {
            "type": "string",
            "format": "date-time"
          },
          "last_seen": {
            "type": "string",
            "format": "date-time"
          },
          "count": {
            "type": [
              "integer",
              "null"
            ]
          },
          "resolved_at": {
            "type": "string",
            "format": "date-time"
          }
        },
        "required": [
          "id",
          "kind",
          "severity",
          "addresses",
          "detail",
          "first_seen",
          "last_seen",
          "count"
        ],
        "additionalProperties": false
      },
      "ConflictList": {
        "type": "object",
        "properties": {
          "conflicts": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Conflict"
            }
          }
        },
        "required": [
          "conflicts"
        ],
        "additionalProperties": false
      },
      "ReservationRequest": {
        "type": "object",
        "properties": {
          "ip_address": {
            "type": [
              "string",
              "null"
            ],
            "description": "An IPv4 or IPv6 address",
            "examples": [
              "10.1.1.10"
            ]
          },
          "mac": {
            "type": [
              "string",
              "null"
            ]
          },
          "hostname": {
            "type": [
              "string",
              "null"
            ]
          },
          "owner": {
            "type": [
              "string",
              "null"
            ]
          },
          "description": {
            "type": [
              "string",
              "null"
            ]
          }
        },
        "required": [
          "ip_address"
        ],
        "additionalProperties": false,
        "examples": [
          {
            "ip_address": "10.2.1.20",
            "mac": "00:1b:63:aa:00:01",
            "hostname": "printer-nyc-2"
          }
        ]
      },
      "ScanRequest": {
        "type": "object",
        "properties": {
          "subnet": {
            "type": [
              "string",
              "null"
            ],
            "description": "A network in CIDR notation",
            "examples": [
              "10.1.1.0/24"
            ]
          },
          "subnet_id": {
            "type": [
              "integer",
              "null"
            ]
          }
        },
        "additionalProperties": false,
        "examples": [
          {
            "subnet": "192.168.1.0/24"
          }
        ]
      },
      "ScanHost": {
        "type": "object",
        "properties": {
          "ip_address": {
            "type": [
              "string",
              "null"
            ],
            "description": "An IPv4 or IPv6 address",
            "examples": [
              "10.1.1.10"
            ]
          },
          "finding": {
            "type": "string",
            "enum": [
              "known",
              "unknown",
              "mac_mismatch",
              "not_seen"
            ]
          },
          "inventory_state": {
            "type": [
              "string",
              "null"
            ]
          },
          "inventory_mac": {
            "type": [
              "string",
              "null"
            ]
          },
          "hostname": {
            "type": [
              "string",
              "null"
            ]
          },
          "neighbour_mac": {
            "type": [
              "string",
              "null"
            ]
          },
          "neighbour_state": {
            "type": [
              "string",
              "null"
            ]
          },
          "device": {
            "type": [
              "string",
              "null"
            ]
          }
        },
        "required": [
          "ip_address",
          "finding"
        ],
        "additionalProperties": false
      },
      "ScanResult": {
        "type": "object",
        "properties": {
          "subnet_id": {
            "type": [
              "integer",
              "null"
            ]
          },
          "subnet": {
            "type": [
              "string",
              "null"
            ],
            "description": "A network in CIDR notation",
            "examples": [
              "10.1.1.0/24"
            ]
          },
          "scanned_at": {
            "type": "string",
            "format": "date-time"
          },
          "method": {
            "type": [
              "string",
              "null"
            ]
          },
          "hosts": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/ScanHost"
            }
          },
          "summary": {
            "type": "object",
            "additionalProperties": {
              "type": [
                "integer",
                "null"
              ]
            }
          },
          "truncated": {
            "type": "boolean"
          }
        },
        "required": [
          "subnet_id",
          "subnet",
          "scanned_at",
          "method",
          "hosts",
          "summary",
          "truncated"
        ],
        "additionalProperties": false
      },
      "LoginRequest": {
        "type": "object",
        "properties": {
          "username": {
            "type": [
              "string",
              "null"
            ]
          },
          "password": {
            "type": [
              "string",
              "null"
            ]
          }
        },
        "required": [
          "username",
          "password"
        ],
        "additionalProperties": false,
        "examples": [
          {
            "username": "admin",
            "password": "correct horse battery staple"
          }
        ]
      },
      "Token": {
        "type": "object",
        "properties": {
          "token": {
            "type": [
              "string",
              "null"
            ]
          },
          "token_type": {
            "type": "string",
            "enum": [
              "Bearer"
            ]
          },
          "expires_at": {
            "type": "string",
            "format": "date-time"
          },
          "username": {
            "type": [
              "string",
              "null"
            ]
          },
          "role": {
            "type": "string",
            "enum": [
              "admin",
              "operator",
              "read-only"
            ]
          }
        },
        "required": [
          "token",
          "token_type",
          "expires_at",
          "username",
          "role"
        ],
        "additionalProperties": false
      },
      "Health": {
        "type": "object",
        "properties": {
          "status": {
            "type": "string",
            "enum": [
              "ok"
            ]
          },
          "subnets": {
            "type": [
              "integer",
              "null"
            ]
          },
          "addresses_in_use": {
            "type": [
              "integer",
              "null"
            ]
          }
        },
        "required": [
          "status",
          "subnets",
          "addresses_in_use"
        ],
        "additionalProperties": false
      },
      "FixedIP": {
        "type": "object",
        "properties": {
          "subnet_id": {
            "type": [
              "string",
              "null"
            ]
          },
          "ip_address": {
            "type": [
              "string",
              "null"
            ],
            "description": "An IPv4 or IPv6 address",
            "examples": [
              "10.1.1.10"
            ]
          }
        },
        "required": [
          "subnet_id",
          "ip_address"
        ],
        "additionalProperties": false
      },
      "FixedIPCreate": {
        "type": "object",
        "properties": {
          "fixed_ip": {
            "type": "object",
            "properties": {
              "subnet_id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64
              },
              "allocation_pools": {
                "type": [
                  "array",
                  "null"
                ],
                "items": {
                  "$ref": "#/components/schemas/PoolInput"
                }
              },
              "cidr": {
                "type": [
                  "string",
                  "null"
                ],
                "description": "A network in CIDR notation",
                "examples": [
                  "10.1.1.0/24"
                ]
              },
              "gateway_ip": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "mac_address": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "device_owner": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "ip_address": {
                "type": [
                  "string",
                  "null"
                ]
              }
            },
            "required": [
              "subnet_id",
              "cidr"
            ],
            "additionalProperties": false
          }
        },
        "required": [
          "fixed_ip"
        ],
        "additionalProperties": false,
        "examples": [
          {
            "fixed_ip": {
              "subnet_id": "11111111-1111-1111-1111-111111111111",
              "allocation_pools": [
                {
                  "start": "192.168.100.2",
                  "end": "192.168.100.254"
                }
              ],
              "cidr": "192.168.100.0/24",
              "gateway_ip": "192.168.100.1",
              "mac_address": null,
              "device_owner": "dhcp",
              "ip_address": null
            }
          },
          {
            "fixed_ip": {
              "subnet_id": "33333333-3333-3333-3333-333333333333",
              "allocation_pools": [],
              "cidr": "2001:db8:1111::/64",
              "gateway_ip": null,
              "mac_address": "fa:16:3e:ef:03:01",
              "device_owner": null
            }
          }
        ]
      },
      "FixedIPDelete": {
        "type": "object",
        "properties": {
          "fixed_ip": {
            "type": "object",
            "properties": {
              "subnet_id": {
                "type": [
                  "string",
                  "null"
                ]
              },
              "ip_address": {
                "type": [
                  "string",
                  "null"
                ],
                "description": "An IPv4 or IPv6 address",
                "examples": [
                  "10.1.1.10"
                ]
              }
            },
            "required": [
              "subnet_id",
              "ip_address"
            ],
            "additionalProperties": false
          }
        },
        "required": [
          "fixed_ip"
        ],
        "additionalProperties": false,
        "examples": [
          {
            "fixed_ip": {
              "subnet_id": "11111111-1111-1111-1111-111111111111",
              "ip_address": "192.168.100.24"
            }
          }
        ]
      },
      "FixedIPOne": {
        "type": "object",
        "properties": {
          "fixed_ip": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/FixedIP"
            },
            "minItems": 1,
            "maxItems": 1
          }
        },
        "required": [
          "fixed_ip"
        ],
        "additionalProperties": false,
        "examples": [
          {
            "fixed_ip": [
              {
                "subnet_id": "11111111-1111-1111-1111-111111111111",
                "ip_address": "192.168.100.2"
              }
            ]
          }
        ]
      },
      "FixedIPList": {
        "type": "object",
        "properties": {
          "fixed_ips": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/FixedIP"
            }
          }
        },
        "required": [
          "fixed_ips"
        ],
        "additionalProperties": false,
        "examples": [
          {
            "fixed_ips": [
              {
                "subnet_id": "33333333-3333-3333-3333-333333333333",
                "ip_address": "2001:db8:1111:0:f816:3eff:feef:302"
              }
            ]
          }
        ]
      }
    }
  }
}

"""#
}
