from django.urls import path

from accounts.views import auth, bulk, second_factor, users

app_name = "accounts"

urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("password/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("second-factor/", second_factor.verify, name="second_factor_verify"),
    path("second-factor/setup/", second_factor.enrol, name="second_factor_enrol"),
    path("security/", second_factor.security, name="security"),
    path("security/recovery-codes/", second_factor.recovery_codes_renew, name="recovery_codes_renew"),
    path("security/remove/", second_factor.remove, name="second_factor_remove"),
    path("invitation/<uidb64>/<token>/", auth.InvitationView.as_view(), name="invitation"),
    path("users/", users.user_list, name="user_list"),
    path("users/new/", users.user_create, name="user_create"),
    path("users/bulk/", bulk.user_bulk, name="user_bulk"),
    path("users/bulk/template.xlsx", bulk.user_bulk_template, name="user_bulk_template"),
    path("users/<int:pk>/", users.user_detail, name="user_detail"),
    path("users/<int:pk>/roles/add/", users.user_role_add, name="user_role_add"),
    path("users/<int:pk>/roles/revoke/", users.user_role_revoke, name="user_role_revoke"),
    path("users/<int:pk>/invitation/", users.user_invitation_resend, name="user_invitation_resend"),
    path("users/<int:pk>/password/", users.user_set_password, name="user_set_password"),
    path("users/<int:pk>/active/", users.user_set_active, name="user_set_active"),
]
