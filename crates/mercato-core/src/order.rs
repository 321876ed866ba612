//! The order lifecycle (P7) as a table: which action moves an order from
//! which status to which, and who may take it. Nothing outside the table
//! is possible; the app records every transition with who and when.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Where an order stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Waiting for the buyer company's approver.
    PendingApproval,
    /// Placed by the buyer, stock and credit reserved.
    Placed,
    /// Accepted by the seller.
    Confirmed,
    /// Some lines shipped.
    PartiallyShipped,
    /// Every line shipped.
    Shipped,
    Delivered,
    Completed,
    /// Stopped by the seller (payment check, stock question); resumes to
    /// `Confirmed`.
    OnHold,
    Cancelled,
}

impl OrderStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [OrderStatus; 9] = [
        OrderStatus::PendingApproval,
        OrderStatus::Placed,
        OrderStatus::Confirmed,
        OrderStatus::PartiallyShipped,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Completed,
        OrderStatus::OnHold,
        OrderStatus::Cancelled,
    ];

    /// The stored and serialised name.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::PendingApproval => "pending_approval",
            OrderStatus::Placed => "placed",
            OrderStatus::Confirmed => "confirmed",
            OrderStatus::PartiallyShipped => "partially_shipped",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Completed => "completed",
            OrderStatus::OnHold => "on_hold",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whether the order still holds reserved stock and credit.
    pub fn holds_reservations(self) -> bool {
        matches!(
            self,
            OrderStatus::PendingApproval
                | OrderStatus::Placed
                | OrderStatus::Confirmed
                | OrderStatus::PartiallyShipped
                | OrderStatus::OnHold
        )
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something done to an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderAction {
    Approve,
    Confirm,
    /// A shipment left; `complete` says whether every line has now shipped.
    Ship {
        complete: bool,
    },
    Deliver,
    Complete,
    Hold,
    Release,
    Cancel,
}

impl OrderAction {
    /// The action's name in events and errors.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderAction::Approve => "approve",
            OrderAction::Confirm => "confirm",
            OrderAction::Ship { .. } => "ship",
            OrderAction::Deliver => "deliver",
            OrderAction::Complete => "complete",
            OrderAction::Hold => "hold",
            OrderAction::Release => "release",
            OrderAction::Cancel => "cancel",
        }
    }
}

/// How an action's code reads after "cannot be" (`hold` → "put on hold").
fn participle(action: &str) -> &str {
    match action {
        "approve" => "approved",
        "confirm" => "confirmed",
        "ship" => "shipped",
        "deliver" => "delivered",
        "complete" => "completed",
        "hold" => "put on hold",
        "release" => "released from hold",
        "cancel" => "cancelled",
        other => other,
    }
}

/// Who acts on an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OrderActor {
    /// A user of the buying company (or staff acting for them).
    Buyer,
    /// An approver of the buying company.
    Approver,
    /// Seller staff with `manage_orders`.
    Staff,
}

/// Why an action is not possible.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("an order that is {status} cannot be {}", participle(action))]
    NotInThisStatus {
        status: OrderStatus,
        action: &'static str,
    },
    #[error("only the seller can {action} an order")]
    NotYourAction { action: &'static str },
}

/// The one table of the lifecycle: the status after `action`, or why not.
pub fn transition(
    status: OrderStatus,
    action: OrderAction,
    actor: OrderActor,
) -> Result<OrderStatus, TransitionError> {
    use OrderAction as A;
    use OrderActor as W;
    use OrderStatus as S;
    let next = match (status, action) {
        (S::PendingApproval, A::Approve) => S::Placed,
        (S::Placed, A::Confirm) => S::Confirmed,
        (S::Confirmed | S::PartiallyShipped, A::Ship { complete: false }) => S::PartiallyShipped,
        (S::Confirmed | S::PartiallyShipped, A::Ship { complete: true }) => S::Shipped,
        (S::Shipped, A::Deliver) => S::Delivered,
        (S::Delivered, A::Complete) => S::Completed,
        (S::Placed | S::Confirmed, A::Hold) => S::OnHold,
        (S::OnHold, A::Release) => S::Confirmed,
        (S::PendingApproval | S::Placed | S::Confirmed | S::OnHold, A::Cancel) => S::Cancelled,
        _ => {
            return Err(TransitionError::NotInThisStatus {
                status,
                action: action.as_str(),
            });
        }
    };
    let allowed = match (action, actor) {
        (_, W::Staff) => true,
        (A::Approve, W::Approver) => true,
        // Buyers may withdraw an order until the seller has confirmed it.
        (A::Cancel, W::Buyer | W::Approver) => {
            matches!(status, S::PendingApproval | S::Placed)
        }
        _ => false,
    };
    if !allowed {
        return Err(TransitionError::NotYourAction {
            action: action.as_str(),
        });
    }
    Ok(next)
}

/// How a buyer pays (P6, P14).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    Card,
    BankTransfer,
    PurchaseOrder,
    OnAccount,
    CashOnDelivery,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 5] = [
        PaymentMethod::Card,
        PaymentMethod::BankTransfer,
        PaymentMethod::PurchaseOrder,
        PaymentMethod::OnAccount,
        PaymentMethod::CashOnDelivery,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Card => "card",
            PaymentMethod::BankTransfer => "bank_transfer",
            PaymentMethod::PurchaseOrder => "purchase_order",
            PaymentMethod::OnAccount => "on_account",
            PaymentMethod::CashOnDelivery => "cash_on_delivery",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// Whether the order draws on the company's credit line: invoiced
    /// later, so the seller carries the risk until it is paid.
    pub fn uses_credit(self) -> bool {
        matches!(
            self,
            PaymentMethod::OnAccount | PaymentMethod::PurchaseOrder
        )
    }
}

/// Where the money for an order stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    /// Waiting for the payment provider (card confirmation) or the buyer
    /// (bank transfer).
    Pending,
    /// Card authorised: the money is held, captured at shipping.
    Authorized,
    /// Money received.
    Paid,
    /// Invoiced on the company's account or PO, due by the payment terms.
    Invoiced,
    /// Due on delivery.
    DueOnDelivery,
    /// Authorisation released or refunded.
    Voided,
    Refunded,
}

impl PaymentStatus {
    pub const ALL: [PaymentStatus; 7] = [
        PaymentStatus::Pending,
        PaymentStatus::Authorized,
        PaymentStatus::Paid,
        PaymentStatus::Invoiced,
        PaymentStatus::DueOnDelivery,
        PaymentStatus::Voided,
        PaymentStatus::Refunded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Pending => "pending",
            PaymentStatus::Authorized => "authorized",
            PaymentStatus::Paid => "paid",
            PaymentStatus::Invoiced => "invoiced",
            PaymentStatus::DueOnDelivery => "due_on_delivery",
            PaymentStatus::Voided => "voided",
            PaymentStatus::Refunded => "refunded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// The status a new order's payment starts in.
    pub fn initial(method: PaymentMethod, card_confirmed: bool) -> Self {
        match method {
            PaymentMethod::Card if card_confirmed => PaymentStatus::Authorized,
            PaymentMethod::Card | PaymentMethod::BankTransfer => PaymentStatus::Pending,
            PaymentMethod::PurchaseOrder | PaymentMethod::OnAccount => PaymentStatus::Invoiced,
            PaymentMethod::CashOnDelivery => PaymentStatus::DueOnDelivery,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ACTIONS: [OrderAction; 9] = [
        OrderAction::Approve,
        OrderAction::Confirm,
        OrderAction::Ship { complete: false },
        OrderAction::Ship { complete: true },
        OrderAction::Deliver,
        OrderAction::Complete,
        OrderAction::Hold,
        OrderAction::Release,
        OrderAction::Cancel,
    ];
    const ACTORS: [OrderActor; 3] = [OrderActor::Buyer, OrderActor::Approver, OrderActor::Staff];

    /// The lifecycle written out as the allowed (from, to) pairs; the
    /// property test checks `transition` never leaves it.
    const EDGES: &[(OrderStatus, OrderStatus)] = {
        use OrderStatus::*;
        &[
            (PendingApproval, Placed),
            (PendingApproval, Cancelled),
            (Placed, Confirmed),
            (Placed, OnHold),
            (Placed, Cancelled),
            (Confirmed, PartiallyShipped),
            (Confirmed, Shipped),
            (Confirmed, OnHold),
            (Confirmed, Cancelled),
            (PartiallyShipped, PartiallyShipped),
            (PartiallyShipped, Shipped),
            (Shipped, Delivered),
            (Delivered, Completed),
            (OnHold, Confirmed),
            (OnHold, Cancelled),
        ]
    };

    #[test]
    fn the_happy_path_runs_to_completed() {
        let mut s = OrderStatus::Placed;
        for a in [
            OrderAction::Confirm,
            OrderAction::Ship { complete: false },
            OrderAction::Ship { complete: true },
            OrderAction::Deliver,
            OrderAction::Complete,
        ] {
            s = transition(s, a, OrderActor::Staff).unwrap();
        }
        assert_eq!(s, OrderStatus::Completed);
    }

    #[test]
    fn buyers_cancel_only_before_confirmation() {
        assert_eq!(
            transition(OrderStatus::Placed, OrderAction::Cancel, OrderActor::Buyer),
            Ok(OrderStatus::Cancelled)
        );
        assert_eq!(
            transition(
                OrderStatus::Confirmed,
                OrderAction::Cancel,
                OrderActor::Buyer
            ),
            Err(TransitionError::NotYourAction { action: "cancel" })
        );
        assert!(transition(OrderStatus::Shipped, OrderAction::Cancel, OrderActor::Staff).is_err());
        assert!(transition(OrderStatus::Placed, OrderAction::Confirm, OrderActor::Buyer).is_err());
        assert_eq!(
            transition(
                OrderStatus::PendingApproval,
                OrderAction::Approve,
                OrderActor::Approver
            ),
            Ok(OrderStatus::Placed)
        );
    }

    #[test]
    fn names_round_trip() {
        for s in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(s.as_str()), Some(s));
        }
        for m in PaymentMethod::ALL {
            assert_eq!(PaymentMethod::parse(m.as_str()), Some(m));
        }
        for p in PaymentStatus::ALL {
            assert_eq!(PaymentStatus::parse(p.as_str()), Some(p));
        }
    }

    proptest! {
        /// No sequence of actions by anyone leaves the table.
        #[test]
        fn no_transition_outside_the_table(steps in proptest::collection::vec((0..9usize, 0..3usize), 0..40)) {
            let mut s = OrderStatus::Placed;
            for (a, w) in steps {
                if let Ok(next) = transition(s, ACTIONS[a], ACTORS[w]) {
                    prop_assert!(EDGES.contains(&(s, next)), "{s} -> {next}");
                    s = next;
                }
            }
            // Terminal states stay terminal.
            for a in ACTIONS {
                for w in ACTORS {
                    if matches!(s, OrderStatus::Completed | OrderStatus::Cancelled) {
                        prop_assert!(transition(s, a, w).is_err());
                    }
                }
            }
        }
    }
}
