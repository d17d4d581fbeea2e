#!/usr/bin/env python3
"""The OpenAPI 3.1 document of smart-ipamd's API, written as data: edit this file, then run
`make openapi` to write Sources/IPAMHTTP/OpenAPI/OpenAPIDocument.swift (the server embeds the
JSON; OpenAPITests checks the two agree, that every route is in it, and that every example
validates). Prints the JSON document with --json.
"""
import json
import sys
def ref(n): return {"$ref": f"#/components/schemas/{n}"}
def s(t, **kw): d={"type": t}; d.update(kw); return d
def obj(props, required=(), extra=False, **kw):
    d={"type":"object","properties":props}
    if required: d["required"]=list(required)
    if not extra: d["additionalProperties"]=False
    d.update(kw); return d
def nul(t, **kw): d={"type":[t,"null"]}; d.update(kw); return d
str_=s("string"); int_=s("integer"); dt=s("string", format="date-time")
ip=s("string", description="An IPv4 or IPv6 address", examples=["10.1.1.10"])
cidr=s("string", description="A network in CIDR notation", examples=["10.1.1.0/24"])
schemas={
 "Error": obj({"error": obj({"code": str_, "message": str_, "field": nul("string")}, ["code","message","field"])}, ["error"],
   examples=[{"error":{"code":"address_taken","message":"192.168.100.101 is already in use","field":"ip_address"}}]),
 "Count": {"oneOf":[s("integer", minimum=0), s("string", pattern="^[0-9]+$")], "description":"An address count: an integer while it fits 64 bits, a decimal string beyond (IPv6)"},
 "Utilization": obj({"size":ref("Count"),"used":ref("Count"),"free":ref("Count"),"percent":s("number", minimum=0, maximum=100),
   "by_state": s("object", additionalProperties=ref("Count"))}, ["size","used","free","percent","by_state"]),
 "PoolUsage": obj({"range": str_, "utilization": ref("Utilization")}, ["range","utilization"]),
 "Subnet": obj({"id":int_,"network":cidr,"name":str_,"description":str_,"gateway":ip,"pools":s("array", items=str_),"domain":str_,
   "reverse_zone":str_,"site":str_,"policy":str_,"host_range":str_,"custom_fields":s("object", additionalProperties=str_),
   "source":s("string", enum=["config","dhcpd.conf","api"]),"external_id":str_,"parent":cidr,"children":s("array", items=cidr),
   "utilization":ref("Utilization"),"pool_usage":s("array", items=ref("PoolUsage"))},
   ["id","network","name","pools","custom_fields","source"]),
 "SubnetList": obj({"subnets":s("array", items=ref("Subnet")),"limit":int_,"offset":int_,"next_offset":int_}, ["subnets","limit","offset"]),
 "PoolInput": {"oneOf":[s("string", examples=["10.1.1.10-10.1.1.200"]), obj({"start":ip,"end":ip},["start","end"])]},
 "PolicyInput": obj({"strategy": {"type":["string","null"], "enum":["next-free","random","random-any","first-of-pool",None]}, "host_range": {"type":["string","null"], "examples":["10-200"]}}),
 "SubnetCreate": obj({"network":cidr,"name":s("string", minLength=1),"description":str_,"gateway":ip,"pools":s("array", items=ref("PoolInput")),
   "domain":str_,"reverse_zone":str_,"site":str_,"policy":ref("PolicyInput"),"custom_fields":s("object", additionalProperties=str_)},
   ["network","name"], examples=[{"network":"192.168.1.0/24","name":"Office Network","description":"Main office subnet","gateway":"192.168.1.1"}]),
 "SubnetPatch": obj({"name":s("string", minLength=1),"description":nul("string"),"gateway":nul("string"),"pools":{"type":["array","null"],"items":ref("PoolInput")},
   "domain":nul("string"),"reverse_zone":nul("string"),"site":nul("string"),"policy":{"oneOf":[ref("PolicyInput"),{"type":"null"}]},
   "custom_fields":{"type":["object","null"],"additionalProperties":str_}}, examples=[{"description":"Main office, 2nd floor","site":"NYC"}]),
 "Usage": obj({"subnet_id":int_,"network":cidr,"name":str_,"utilization":ref("Utilization"),"pools":s("array", items=ref("PoolUsage"))}, ["network","name","utilization","pools"]),
 "Available": obj({"subnet_id":int_,"network":cidr,"available":s("array", items=ip)}, ["subnet_id","network","available"],
   examples=[{"subnet_id":1,"network":"192.168.1.0/24","available":["192.168.1.3","192.168.1.4"]}]),
 "AllocateRequest": obj({"subnet":cidr,"subnet_id":int_,"hostname":str_,"device_type":str_,"owner":str_,"mac":s("string", examples=["3c:22:fb:01:02:03"]),
   "description":str_,"ip_address":ip,"count":s("integer", minimum=1, maximum=1024),
   "strategy":s("string", enum=["next-free","random","random-any","first-of-pool","eui-64"]),"host_range":s("string", examples=["10-200"]),"reserve":s("boolean")},
   examples=[{"subnet":"192.168.1.0/24","hostname":"web-server-01","device_type":"server","owner":"IT Department"}]),
 "Address": obj({"ip_address":ip,"state":s("string", enum=["allocated","reserved","leased","abandoned","free"]),"hostname":str_,"owner":str_,"mac":str_,
   "duid":str_,"device_type":str_,"description":str_,"source":str_,"updated_at":dt,"lease_ends":dt,"lease_source":str_,"prefix_length":int_}, ["ip_address","state","source","updated_at"]),
 "AddressList": obj({"addresses":s("array", items=ref("Address")),"limit":int_,"offset":int_,"next_offset":int_}, ["addresses"]),
 "Audit": obj({"id":int_,"at":dt,"actor":str_,"action":str_,"object_type":str_,"object":str_,"before":str_,"after":str_}, ["id","at","actor","action","object_type","object"]),
 "AuditList": obj({"entries":s("array", items=ref("Audit")),"limit":int_,"offset":int_,"next_offset":int_}, ["entries","limit","offset"]),
 "Lease": obj({"ip_address":ip,"prefix_length":int_,"kind":str_,"state":str_,"mac":str_,"client_id":str_,"iaid":int_,"hostname":str_,
   "starts":dt,"ends":dt,"cltt":dt,"file":str_}, ["ip_address","kind","state","file"]),
 "LeaseHistory": obj({"leases":s("array", items=ref("Lease"))}, ["leases"]),
 "AddressDetail": obj({"address":ref("Address"),"subnet":cidr,"history":s("array", items=ref("Audit")),"leases":s("array", items=ref("Lease"))}, ["address","history"]),
 "Conflict": obj({"id":int_,"kind":str_,"severity":s("string", enum=["info","warning","critical"]),"addresses":s("array", items=str_),"detail":str_,
   "first_seen":dt,"last_seen":dt,"count":int_,"resolved_at":dt}, ["id","kind","severity","addresses","detail","first_seen","last_seen","count"]),
 "ConflictList": obj({"conflicts":s("array", items=ref("Conflict"))}, ["conflicts"]),
 "ReservationRequest": obj({"ip_address":ip,"mac":s("string", description="The client's MAC (IPv4)"),"duid":s("string", description="The client's DUID in hex (IPv6)"),
   "hostname":str_,"allow_dynamic_range":s("boolean"),"from_lease":s("boolean", description="Make the address's active lease a reservation")}, ["ip_address"],
   examples=[{"ip_address":"10.2.1.20","mac":"00:1b:63:aa:00:01","hostname":"printer-nyc-2"}, {"ip_address":"10.2.1.60","from_lease":True}]),
 "Reservation": obj({"ip_address":ip,"mac":str_,"duid":str_,"hostname":str_,"origin":s("string", enum=["explicit","lease","policy"]),"created_by":str_,"created_at":dt},
   ["ip_address","origin","created_by","created_at"]),
 "ReservationFile": obj({"path":str_,"generation":int_,"published_generation":int_,"published_at":dt,"current":s("boolean"),"last_error":str_,"failed_at":dt},
   ["generation","published_generation","current"]),
 "ReservationList": obj({"reservations":s("array", items=ref("Reservation")),"file":ref("ReservationFile")}, ["reservations","file"]),
 "ReserveResult": obj({"reservation":ref("Reservation"),"changed":s("boolean"),"conflicts":s("array", items=str_)}, ["reservation","changed","conflicts"]),
 "ScanRequest": obj({"subnet":cidr,"subnet_id":int_}, examples=[{"subnet":"192.168.1.0/24"}]),
 "ScanHost": obj({"ip_address":ip,"finding":s("string", enum=["known","unknown","mac_mismatch","not_seen"]),"inventory_state":str_,"inventory_mac":str_,
   "hostname":str_,"neighbour_mac":str_,"neighbour_state":str_,"device":str_}, ["ip_address","finding"]),
 "ScanResult": obj({"subnet_id":int_,"subnet":cidr,"scanned_at":dt,"method":str_,"hosts":s("array", items=ref("ScanHost")),
   "summary":s("object", additionalProperties=int_),"truncated":s("boolean")}, ["subnet_id","subnet","scanned_at","method","hosts","summary","truncated"]),
 "LoginRequest": obj({"username":str_,"password":str_}, ["username","password"], examples=[{"username":"admin","password":"correct horse battery staple"}]),
 "Token": obj({"token":str_,"token_type":s("string", enum=["Bearer"]),"expires_at":dt,"username":str_,"role":s("string", enum=["admin","operator","read-only"])},
   ["token","token_type","expires_at","username","role"]),
 "Health": obj({"status":s("string", enum=["ok"]),"subnets":int_,"addresses_in_use":int_}, ["status","subnets","addresses_in_use"]),
 "FixedIP": obj({"subnet_id":str_,"ip_address":ip}, ["subnet_id","ip_address"]),
 "FixedIPCreate": obj({"fixed_ip": obj({"subnet_id":s("string", minLength=1, maxLength=64),"allocation_pools":s("array", items=ref("PoolInput")),"cidr":cidr,
   "gateway_ip":nul("string"),"mac_address":nul("string"),"device_owner":nul("string"),"ip_address":nul("string")}, ["subnet_id","cidr"])}, ["fixed_ip"],
   examples=[{"fixed_ip":{"subnet_id":"11111111-1111-1111-1111-111111111111","allocation_pools":[{"start":"192.168.100.2","end":"192.168.100.254"}],
     "cidr":"192.168.100.0/24","gateway_ip":"192.168.100.1","mac_address":None,"device_owner":"dhcp","ip_address":None}},
     {"fixed_ip":{"subnet_id":"33333333-3333-3333-3333-333333333333","allocation_pools":[],"cidr":"2001:db8:1111::/64","gateway_ip":None,
      "mac_address":"fa:16:3e:ef:03:01","device_owner":None}}]),
 "FixedIPDelete": obj({"fixed_ip": obj({"subnet_id":str_,"ip_address":ip}, ["subnet_id","ip_address"])}, ["fixed_ip"],
   examples=[{"fixed_ip":{"subnet_id":"11111111-1111-1111-1111-111111111111","ip_address":"192.168.100.24"}}]),
 "FixedIPOne": obj({"fixed_ip": s("array", items=ref("FixedIP"), minItems=1, maxItems=1)}, ["fixed_ip"],
   examples=[{"fixed_ip":[{"subnet_id":"11111111-1111-1111-1111-111111111111","ip_address":"192.168.100.2"}]}]),
 "FixedIPList": obj({"fixed_ips": s("array", items=ref("FixedIP"))}, ["fixed_ips"],
   examples=[{"fixed_ips":[{"subnet_id":"33333333-3333-3333-3333-333333333333","ip_address":"2001:db8:1111:0:f816:3eff:feef:302"}]}]),
}
def nullable_optionals(schema):
    """Request bodies: an optional field may also be null (read as absent), as the server does."""
    for name, prop in schema.get("properties", {}).items():
        if name in schema.get("required", []): 
            if prop.get("type") == "object": nullable_optionals(prop)
            continue
        if isinstance(prop.get("type"), str):
            prop["type"] = [prop["type"], "null"]
            if "enum" in prop: prop["enum"] = prop["enum"] + [None]
        elif "type" not in prop:
            inner = dict(prop); prop.clear(); prop["anyOf"] = [inner, {"type": "null"}]
        if prop.get("type") == ["object", "null"]: nullable_optionals(prop)
for n in ["SubnetCreate","AllocateRequest","ReservationRequest","ScanRequest","FixedIPCreate","FixedIPDelete"]:
    nullable_optionals(schemas[n])
def err(desc): return {"description": desc, "content": {"application/json": {"schema": ref("Error")}}}
def ok(schema, desc="OK"): return {"description": desc, "content": {"application/json": {"schema": ref(schema)}}}
def body(schema): return {"required": True, "content": {"application/json": {"schema": ref(schema)}}}
def q(name, schema, desc): return {"name": name, "in": "query", "required": False, "schema": schema, "description": desc}
idp={"name":"id","in":"path","required":True,"schema":s("integer", minimum=1),"description":"The subnet's id"}
ipp={"name":"ip","in":"path","required":True,"schema":s("string"),"description":"An address"}
page=[q("limit", s("integer", minimum=1, maximum=1000), "At most this many (default 100)"), q("offset", s("integer", minimum=0), "Skip this many")]
def op(summary, role, responses, params=None, req=None, tag=None):
    o={"summary": summary, "operationId": None, "tags":[tag] if tag else [], "responses": {}}
    if role is None: o["security"]=[]
    else: o["x-smart-ipam-role"]=role
    if params: o["parameters"]=params
    if req: o["requestBody"]=body(req)
    o["responses"].update(responses)
    o["responses"]["400"]=err("Invalid input: the message and field say what")
    if role is not None:
        o["responses"]["401"]=err("No valid bearer token")
        o["responses"]["403"]=err("The token's role does not allow this")
    o["responses"]["405"]=err("The path does not answer this method (the Allow header lists those it does)")
    o["responses"]["default"]=err("Any other failure, in the same shape")
    return o
paths={
 "/api/v1/auth/login": {"post": op("Log in: a user name and password for a bearer token", None, {"200": ok("Token"), "401": err("Wrong user name or password"), "413": err("Body too large"), "429": {**err("Too many failed logins: wait for Retry-After seconds"), "headers": {"Retry-After": {"schema": s("integer"), "description": "Seconds to wait"}}}}, req="LoginRequest", tag="auth")},
 "/api/v1/health": {"get": op("Liveness: the daemon answers and its database is readable", None, {"200": ok("Health")}, tag="system")},
 "/api/v1/openapi.json": {"get": {"summary":"This document","operationId":"openapi","tags":["system"],"security":[],"responses":{"200":{"description":"The OpenAPI document","content":{"application/json":{"schema":s("object")}}}}}},
 "/api/v1/subnets": {
   "get": op("List subnets with their utilization", "read-only", {"200": ok("SubnetList")}, page+[q("family", s("integer", enum=[4,6]), "Only IPv4 or IPv6"), q("network", s("string"), "Only this network (CIDR)")], tag="subnets"),
   "post": op("Create a subnet (placed in the hierarchy by containment)", "admin", {"201": ok("Subnet","Created"), "404": err("Not found"), "409": err("The subnet exists or overlaps"), "413": err("Body too large")}, req="SubnetCreate", tag="subnets")},
 "/api/v1/subnets/{id}": {
   "get": op("One subnet with its parent, children and usage", "read-only", {"200": ok("Subnet"), "404": err("No such subnet")}, [idp], tag="subnets"),
   "patch": op("Change a subnet's facts; a field set to null is cleared", "admin", {"200": ok("Subnet"), "404": err("No such subnet"), "409": err("Conflict"), "413": err("Body too large")}, [idp], req="SubnetPatch", tag="subnets"),
   "delete": op("Remove a subnet; its children move up to its parent", "admin", {"200": ok("Subnet"), "404": err("No such subnet"), "409": err("Addresses are still in use (force=true releases them)")}, [idp, q("force", s("boolean"), "Release its addresses and remove it anyway")], tag="subnets")},
 "/api/v1/subnets/{id}/usage": {"get": op("Utilization: size, used, free, percent, by state and by pool", "read-only", {"200": ok("Usage"), "404": err("No such subnet")}, [idp], tag="subnets")},
 "/api/v1/subnets/{id}/available": {"get": op("The next free addresses, without taking them", "read-only", {"200": ok("Available"), "404": err("No such subnet")}, [idp, q("count", s("integer", minimum=1, maximum=1000), "How many (default 10)")], tag="subnets")},
 "/api/v1/allocate": {"post": op("Allocate addresses in a subnet (atomic; count for several)", "operator", {"201": ok("AddressList","Allocated"), "404": err("No such subnet"), "409": err("The address is taken, or the subnet is full"), "413": err("Body too large")}, req="AllocateRequest", tag="addresses")},
 "/api/v1/deallocate/{ip}": {"delete": op("Release an allocated or reserved address", "operator", {"200": ok("Address"), "404": err("Not allocated")}, [ipp], tag="addresses")},
 "/api/v1/addresses": {"get": op("Addresses of the inventory", "read-only", {"200": ok("AddressList"), "404": err("No such subnet")}, page+[q("subnet", s("string"), "Inside this network (CIDR)"), q("subnet_id", s("integer"), "Inside this subnet"), q("state", s("string", enum=["allocated","reserved","leased","abandoned","free"]), "In this state"), q("hostname", s("string"), "With this hostname"), q("mac", s("string"), "With this MAC")], tag="addresses")},
 "/api/v1/addresses/{ip}": {"get": op("One address with its change history and leases", "read-only", {"200": ok("AddressDetail"), "404": err("Not in the inventory")}, [ipp], tag="addresses")},
 "/api/v1/leases": {"get": {**op("Current dhcpd leases, or the lease history of one address", "read-only", {"200": {"description":"Current leases (addresses), or with address= the records dhcpd wrote for it","content":{"application/json":{"schema":{"oneOf":[ref("AddressList"), ref("LeaseHistory")]}}}}}, page+[q("address", s("string"), "The history of this address"), q("subnet", s("string"), "Inside this network (CIDR)"), q("mac", s("string"), "This client's"), q("hostname", s("string"), "With this client hostname")], tag="leases")}},
 "/api/v1/reservations": {
   "get": op("The host reservations the daemon writes for dhcpd, and whether dhcpd has the current file", "read-only", {"200": ok("ReservationList")}, tag="reservations"),
   "post": op("Reserve an address for a client (MAC for IPv4, DUID for IPv6), or make a lease fixed (from_lease)", "operator", {"201": ok("ReserveResult","Reserved"), "200": ok("ReserveResult","Already reserved so"), "404": err("No such lease"), "409": err("The address or the client is reserved or held elsewhere"), "413": err("Body too large")}, req="ReservationRequest", tag="reservations")},
 "/api/v1/reservations/{ip}": {"delete": op("Remove a reservation", "operator", {"200": ok("Reservation"), "404": err("Not reserved")}, [ipp], tag="reservations")},
 "/api/v1/conflicts": {"get": op("Conflicts found in leases, reservations and DNS", "read-only", {"200": ok("ConflictList")}, page+[q("all", s("boolean"), "Include resolved ones")], tag="conflicts")},
 "/api/v1/audit": {"get": op("The audit log, newest first", "read-only", {"200": ok("AuditList")}, page+[q("since", s("string"), "From this date (2026-11-01) or time (ISO 8601)"), q("until", s("string"), "Up to this date or time"), q("user", s("string"), "By this actor (api:alice, api-key:ci, cli:root)"), q("action", s("string"), "This action, or a prefix ending in '.'"), q("object", s("string"), "About this address or subnet")], tag="audit")},
 "/api/v1/scan": {"post": op("Discover what is on a subnet of the inventory (passive: leases, reservations, the neighbour table)", "operator", {"200": ok("ScanResult"), "404": err("No such subnet in the inventory"), "413": err("Body too large")}, req="ScanRequest", tag="discovery")},
 "/metrics": {"get": {**op("Prometheus metrics: utilization per subnet and pool, addresses by state, the DNS outbox, conflicts, and the daemon's event counters", "read-only", {"200": {"description": "Prometheus text exposition format 0.0.4", "content": {"text/plain": {"schema": s("string")}}}}, tag="system")}},
 "/fixed_ips": {
   "post": op("Neutron-style: allocate a fixed IP (the subnet is created on first use)", "operator", {"201": ok("FixedIPOne","Allocated"), "404": err("Not found"), "409": err("The address is taken, or the subnet is full"), "413": err("Body too large")}, req="FixedIPCreate", tag="neutron"),
   "get": op("Neutron-style: a subnet's fixed IPs in address order", "read-only", {"200": ok("FixedIPList"), "404": err("No such subnet")}, [{"name":"subnet_id","in":"query","required":True,"schema":s("string"),"description":"Neutron's subnet id"}], tag="neutron"),
   "delete": op("Neutron-style: release a fixed IP", "operator", {"200": ok("FixedIPOne"), "404": err("Not allocated"), "413": err("Body too large")}, req="FixedIPDelete", tag="neutron")},
}
for p, ops in paths.items():
    for m, o in ops.items():
        o["operationId"] = (m + p.replace("/api/v1","").replace("/","_").replace("{","").replace("}","").replace(".","_")).strip("_")
doc={"openapi":"3.1.0",
 "info":{"title":"Smart IPAM API","version":"1","description":"The IP address management API of smart-ipamd: subnets, allocation, addresses, leases, reservations, conflicts, audit and discovery under /api/v1, and the OpenStack-Neutron-style /fixed_ips API. Every route but login, health and this document needs `Authorization: Bearer <token>` (smart-ipam token create, or POST /api/v1/auth/login). Roles: read-only reads; operator also allocates, releases, reserves, scans and uses /fixed_ips; admin also manages subnets. Errors are {\"error\": {\"code\", \"message\", \"field\"}}."},
 "servers":[{"url":"http://127.0.0.1:8080"}],
 "security":[{"bearer":[]}],
 "paths":paths,
 "components":{"securitySchemes":{"bearer":{"type":"http","scheme":"bearer","description":"An API key or a login session: sipam_…"}},"schemas":schemas}}
text = json.dumps(doc, indent=2, ensure_ascii=False)
if "--json" in sys.argv:
    print(text)
else:
    swift = """/// The OpenAPI 3.1 document of the whole API, served at `/api/v1/openapi.json`.
///
/// Generated by scripts/openapi/generate.py (`make openapi`); edit that file, not this one.
/// `OpenAPITests` checks that it lists every route of ``RouteTable`` with the role it needs,
/// that it is a valid OpenAPI 3.1 document, and that every example validates against its
/// schema; `make test` runs schemathesis against the live server with it.
public enum OpenAPIDocument {
    public static let json = #\"\"\"
""" + text + """
\"\"\"#
}
"""
    sys.stdout.write(swift)
