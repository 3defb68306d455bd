/* Routes of the admin data API (/api/admin/v1: schools, partnerships, teachers, ...). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "app/routes.h"
#include "auth/jwt.h"
#include "resources/admin_data.h"

#define A SCOPE_ADMIN
#define JSON ROUTE_JSON_BODY
#define BASE "/api/admin/v1"

/* Literal segments before {params} where both could match the same path. */
const struct route admin_data_routes[] = {
    {HTTP_POST, BASE "/delivery-partners", A, JSON, admin_data_delivery_partners_create,
     "admin.delivery_partners.create"},
    {HTTP_POST, BASE "/schools", A, JSON, admin_data_schools_create, "admin.schools.create"},
    {HTTP_PUT, BASE "/cohorts/{year}", A, JSON, admin_data_cohorts_put, "admin.cohorts.put"},
    {HTTP_POST, BASE "/partnerships", A, JSON, admin_data_partnerships_create,
     "admin.partnerships.create"},
    {HTTP_POST, BASE "/statements", A, JSON, admin_data_statements_create,
     "admin.statements.create"},
    {HTTP_POST, BASE "/teachers/merge", A, JSON, admin_data_teachers_merge, "admin.teachers.merge"},
    {HTTP_POST, BASE "/teachers", A, JSON, admin_data_teachers_create, "admin.teachers.create"},
    {HTTP_PUT, BASE "/teachers/{id}", A, JSON, admin_data_teachers_update, "admin.teachers.update"},
    {HTTP_POST, BASE "/teachers/{id}/school-periods", A, JSON, admin_data_school_periods_create,
     "admin.school_periods.create"},
    {HTTP_POST, BASE "/teachers/{id}/induction-periods", A, JSON,
     admin_data_induction_periods_create, "admin.induction_periods.create"},
    {HTTP_PUT, BASE "/school-periods/{id}", A, JSON, admin_data_school_periods_update,
     "admin.school_periods.update"},
    {HTTP_POST, BASE "/school-periods/{id}/training-periods", A, JSON,
     admin_data_training_periods_create, "admin.training_periods.create"},
    {HTTP_PUT, BASE "/training-periods/{id}", A, JSON, admin_data_training_periods_update,
     "admin.training_periods.update"},
    {HTTP_POST, BASE "/mentorships", A, JSON, admin_data_mentorships_create,
     "admin.mentorships.create"},
};

const size_t admin_data_nroutes = sizeof(admin_data_routes) / sizeof(admin_data_routes[0]);
