# Accounts @reader follows with the default settings: no replies, no notifications.
# account.reader follows each of them with its follow "all" block (in account.mk.hcl).
locals {
  follows = [
    "@local03",
    "@user00@host0.example",
    "@user01@host1.example",
    "@user02@host2.example",
    "@user04@host1.example",
    "@user05@host2.example",
    "@user06@host0.example",
    "@user08@host2.example",
    "@user09@host0.example",
    "@user10@host1.example",
    "@user12@host0.example",
    # A follow request, not accepted yet:
    "@user13@host1.example",
    "@user14@host2.example",
    "@user15@host0.example",
    "@user16@host1.example",
    # A follow request, not accepted yet:
    "@user17@host2.example",
    "@user18@host0.example",
    "@user19@host1.example",
    "@user20@host2.example",
    "@user21@host0.example",
    "@user22@host1.example",
    "@user23@host2.example",
    "@user24@host0.example",
  ]
}
