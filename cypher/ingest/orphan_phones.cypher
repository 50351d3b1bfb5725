// Deletes Phone nodes no relationship reaches any more (a number dropped from the only person
// who listed it). Returns one row {removed}.
// Why: the end of `graphsvc import`; a phone number is only known through whoever uses it.
MATCH (phone:Phone)
WHERE NOT (phone)--()
DELETE phone
RETURN count(phone) AS removed
